package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The filter that hides TensorFlow's native INFO and WARNING lines but keeps everything else. */
class RelaunchTest {
  @Test
  void hidesNativeInfoAndWarningLinesSeenInRealRuns() {
    for (String line : new String[] {
        "2026-11-22 11:27:36.654602: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.",
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.",
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
        "I0000 00:00:1795346856.670987   10795 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled",
        "W0000 00:00:1795346856.670987   10795 some_file.cc:12] something"}) {
      assertTrue(Relaunch.NATIVE_NOISE.matcher(line).matches(), line);
    }
  }

  @Test
  void keepsErrorsAndOurOwnOutput() {
    for (String line : new String[] {
        "E0000 00:00:1795346856.670987   10795 op_kernel.cc:1828] OP_REQUIRES failed",
        "2026-11-22 11:27:36.654602: E tensorflow/core/framework/op_kernel.cc:1] an error",
        "error: unknown preset 'x': expected one of dcgan-mnist",
        "Warning: no usable GPU (...); falling back to the CPU."}) {
      assertFalse(Relaunch.NATIVE_NOISE.matcher(line).matches(), line);
    }
  }

  /** The remapper line of each preset's first step, as printed on this project's machines; other errors stay. */
  @Test
  void hidesTheKnownHarmlessErrorsOnly() {
    for (String line : new String[] {
        "E0000 00:00:1796655450.221536    7707 meta_optimizer.cc:966] remapper failed: INVALID_ARGUMENT: Mutation::Apply error: fanout 'train_step/Gradients_1/LeakyReluGrad_2' exist for missing node 'train_step/BiasAdd'.",
        "E0000 00:00:1796655487.868080    7966 meta_optimizer.cc:966] remapper failed: INVALID_ARGUMENT: Mutation::Apply error: fanout 'train_step/discriminator/Gradients/LeakyReluGrad_2' exist for missing node 'train_step/discriminator/BiasAdd'.",
        "E0000 00:00:1796655525.856139    8183 meta_optimizer.cc:966] remapper failed: INVALID_ARGUMENT: Mutation::Apply error: fanout 'train_step/critic/Gradients_1/LeakyReluGrad' exist for missing node 'train_step/critic/BiasAdd_11'."}) {
      assertTrue(Relaunch.hidden(line), line);
    }
    for (String line : new String[] {
        "E0000 00:00:1796655450.221536    7707 meta_optimizer.cc:966] remapper failed: INTERNAL: something else",
        "E0000 00:00:1796655450.221536    7707 meta_optimizer.cc:966] layout failed: INVALID_ARGUMENT: Mutation::Apply error: fanout 'a/LeakyReluGrad' exist for missing node 'a/BiasAdd'.",
        "E0000 00:00:1795346856.670987   10795 op_kernel.cc:1828] OP_REQUIRES failed",
        "error: unknown preset 'x': expected one of dcgan-mnist"}) {
      assertFalse(Relaunch.hidden(line), line);
    }
  }

  @Test
  void verboseHelpAndDataOnlyCommandsRunInProcess() {
    assertFalse(Relaunch.wanted(new String[] {"train", "--verbose"}));
    assertFalse(Relaunch.wanted(new String[] {"train", "--help"}));
    assertFalse(Relaunch.wanted(new String[] {"export-images", "--dataset", "mnist"}));
    assertFalse(Relaunch.wanted(new String[] {}));
  }

  @Test
  void childGetsQuietLogsAndOneDnnUnlessTheUserChose() {
    assertEquals(java.util.Map.of("TF_CPP_MIN_LOG_LEVEL", "2", "JGAN_RELAUNCHED", "1", "TF_ENABLE_ONEDNN_OPTS", "1"),
        Relaunch.childEnvironment(java.util.Map.of("PATH", "/bin")));
    assertEquals(java.util.Map.of("TF_CPP_MIN_LOG_LEVEL", "2", "JGAN_RELAUNCHED", "1"),
        Relaunch.childEnvironment(java.util.Map.of("TF_ENABLE_ONEDNN_OPTS", "0")));
  }
}
