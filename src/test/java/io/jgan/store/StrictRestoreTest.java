package io.jgan.store;

import static io.jgan.TfTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.gan.Preset;
import io.jgan.nn.Weight;
import io.jgan.train.TestGraphs;
import io.jgan.train.TinyGan;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.TrainingGraph;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Restore is strict (RELIABILITY.md scenarios 3 and 5): every way a checkpoint can fail to match
 * or be damaged is an error that names the variable or the file, and leaves the variables as they
 * were; restoring only part of it is asked for explicitly.
 */
class StrictRestoreTest {
  private static final long SEED = 5;
  @TempDir Path dir;
  private Path prefix;
  private float[] savedGeneratorKernel;

  @BeforeEach
  void saveTinyCheckpoint() {
    prefix = dir.resolve("ckpt-1");
    savedGeneratorKernel = saveFrom(TinyGan.preset(), prefix);
  }

  /** Saves a freshly initialized graph of {@code preset}; returns its generator's first kernel. */
  private static float[] saveFrom(Preset preset, Path prefix) {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(preset, SEED, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      g.save(s, prefix, 1, Progress.START, "{}");
      return run(s, g.networks().generator().weights().get(0).as(TFloat32.class));
    }
  }

  /** Runs {@code restore} on a graph of {@code preset} (other seed), checks nothing changed, returns the error. */
  private static BadInputException refused(Preset preset, java.util.function.BiConsumer<TrainingGraph<TFloat32>, Session> restore) {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(preset, SEED + 1, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      List<float[]> before = allWeights(g, s);
      BadInputException e = assertThrows(BadInputException.class, () -> restore.accept(g, s));
      List<float[]> after = allWeights(g, s);
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), after.get(i), "a failed restore changed weight " + i);
      }
      return e;
    }
  }

  private static List<float[]> allWeights(TrainingGraph<TFloat32> g, Session s) {
    List<float[]> out = new ArrayList<>();
    for (var model : List.of(g.networks().generator(), g.networks().discriminator())) {
      for (Weight w : model.weights()) {
        out.add(run(s, w.as(TFloat32.class)));
      }
    }
    return out;
  }

  private BadInputException restoreAllInto(Preset preset) {
    return refused(preset, (g, s) -> g.restore(s, prefix, TrainingGraph.ALL));
  }

  @Test
  void wrongShapeNamesTheVariableAndBothShapes() {
    BadInputException e = restoreAllInto(TinyGan.preset(3, true));
    assertTrue(e.getMessage().startsWith(prefix + ": cannot restore"), e.getMessage());
    // A model weight is saved once, under the first path that reaches it (the optimizer's list, as Keras 3 writes it).
    assertTrue(e.getMessage().contains("discriminator/0_conv2d/kernel (discriminator_optimizer/_trainable_variables/0/"
        + ".ATTRIBUTES/VARIABLE_VALUE): expected shape [3, 3, 1, 3], got [3, 3, 1, 2]"), e.getMessage());
    assertTrue(e.getMessage().contains("discriminator_optimizer/m/discriminator/4_dense/kernel (discriminator_optimizer/"
        + "_variables/6/.ATTRIBUTES/VARIABLE_VALUE): expected shape [12, 1], got [8, 1]"), e.getMessage());
  }

  @Test
  void latentSizeOtherThanTheCheckpointsNamesTheGeneratorsFirstKernel() {
    BadInputException e = restoreAllInto(TinyGan.preset(2, true, 5));
    assertTrue(e.getMessage().contains("generator/0_dense/kernel (generator_optimizer/_trainable_variables/0/.ATTRIBUTES/"
        + "VARIABLE_VALUE): expected shape [5, 16], got [3, 16]"), e.getMessage());
  }

  @Test
  void missingVariablesAreNamed() {
    prefix = dir.resolve("no-bn");
    saveFrom(TinyGan.preset(2, false), prefix);
    BadInputException e = restoreAllInto(TinyGan.preset(2, true));
    for (String v : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
      assertTrue(e.getMessage().contains("missing generator/1_batchnormalization/" + v
          + " (expected at generator/_functional/_operations/2/" + v + ")"), e.getMessage());
    }
  }

  @Test
  void extraVariablesAreNamed() {
    BadInputException e = restoreAllInto(TinyGan.preset(2, false));
    assertTrue(e.getMessage().contains("unexpected value generator/_functional/_operations/2/moving_mean/.ATTRIBUTES/"
        + "VARIABLE_VALUE under generator"), e.getMessage());
    assertTrue(e.getMessage().contains("unexpected value generator_optimizer/_variables/6/.ATTRIBUTES/VARIABLE_VALUE"
        + " under generator_optimizer"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheKeyAndBothTypes() {
    // The same checkpoint with the generator's first kernel stored as float64.
    Path rewritten = dir.resolve("float64");
    String key;
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), SEED, 4)) {
      key = g.checkpoint().keys().get(0);
      rewrite(g.checkpoint().keys(), g.checkpoint().keyTypes(), prefix, rewritten, 0);
    }
    prefix = rewritten;
    BadInputException e = restoreAllInto(TinyGan.preset());
    assertTrue(e.getMessage().startsWith(rewritten + ": expected the types this model has, got: tensor_name = " + key
        + "; expected dtype float does not equal original dtype double"), e.getMessage());
  }

  /** Copies a checkpoint tensor by tensor, casting tensor {@code toDouble} to float64. */
  @SuppressWarnings("unchecked")
  private static void rewrite(List<String> keys, List<Class<? extends org.tensorflow.types.family.TType>> types, Path from,
      Path to, int toDouble) {
    try (Graph graph = new Graph(); Session s = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var names = tf.constant(java.nio.charset.StandardCharsets.UTF_8, keys.toArray(String[]::new));
      String[] empty = new String[keys.size()];
      java.util.Arrays.fill(empty, "");
      var slices = tf.constant(java.nio.charset.StandardCharsets.UTF_8, empty);
      var read = tf.train.restore(tf.constant(from.toString()), names, slices, types);
      List<Operand<?>> values = new ArrayList<>(read.tensors());
      values.set(toDouble, tf.dtypes.cast((Operand<TFloat32>) read.tensors().get(toDouble), TFloat64.class));
      s.run(tf.train.save(tf.constant(to.toString()), names, slices, values));
    }
  }

  @Test
  void partialRestoreIsExplicit() {
    // A discriminator of another shape: restoring everything fails, the generator alone is asked for and works.
    BadInputException all = restoreAllInto(TinyGan.preset(3, true));
    assertTrue(all.getMessage().contains("discriminator/0_conv2d/kernel"), all.getMessage());
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(3, true), SEED + 1, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      g.restore(s, prefix, java.util.Set.of(TrainingGraph.GENERATOR));
      assertArrayEquals(savedGeneratorKernel, run(s, g.networks().generator().weights().get(0).as(TFloat32.class)));
    }
  }

  /** Ways a file of a checkpoint gets damaged on disk, and the file the error must name. */
  enum Damage {
    FLIPPED_BYTE_IN_DATA(true), TRUNCATED_DATA(true), FLIPPED_BYTE_IN_INDEX(false), TRUNCATED_INDEX(false),
    EMPTY_INDEX(false);

    final boolean data;

    Damage(boolean data) {
      this.data = data;
    }

    void apply(Path file) throws Exception {
      long size = Files.size(file);
      switch (this) {
        case FLIPPED_BYTE_IN_DATA -> flipByte(file, size / 2);
        case FLIPPED_BYTE_IN_INDEX -> flipByte(file, size / 3);
        case TRUNCATED_DATA -> truncate(file, size - 8);
        case TRUNCATED_INDEX -> truncate(file, size - 20);
        case EMPTY_INDEX -> truncate(file, 0);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedFileIsNamed(Damage damage) throws Exception {
    Path file = damage.data ? CheckpointManager.data(prefix) : CheckpointManager.index(prefix);
    damage.apply(file);
    BadInputException e = restoreAllInto(TinyGan.preset());
    assertTrue(e.getMessage().startsWith(file + ": expected"), e.getMessage());
  }

  @Test
  void nonFiniteVariablesAreNamed() {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), SEED, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      assertEquals(List.of(), g.nonFiniteVariables(s));
      var tf = g.tf();
      var kernel = ((io.jgan.nn.Sequential) g.networks().discriminator()).layers().get(4).weights().get(0).as(TFloat32.class);
      var m = TestGraphs.adam(g.generatorOptimizer()).momentums().get(0);
      s.run(tf.withControlDependencies(List.of(
          kernel.assign(tf, tf.tensorScatterNdUpdate(kernel.read(tf), tf.constant(new long[][] {{1, 0}}),
              tf.constant(new float[] {Float.NaN}))),
          m.assign(tf, tf.math.add(tf.zerosLike(m.read(tf)), tf.constant(Float.POSITIVE_INFINITY))))).noOp());
      assertEquals(List.of("discriminator/4_dense/kernel", "generator_optimizer/m/generator/0_dense/kernel"),
          g.nonFiniteVariables(s));
    }
  }

  private static void flipByte(Path file, long position) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, position);
      b.put(0, (byte) (b.get(0) ^ 0x5a));
      b.rewind();
      ch.write(b, position);
    }
  }

  private static void truncate(Path file, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
