package io.jgan.train;

import static io.jgan.TfTesting.tensor;
import static io.jgan.TfTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.data.Batch;
import io.jgan.gan.Phase;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * A step run with options (what io.jgan.bench.StepProfile asks for: a full trace and the partition
 * graphs) hands each phase's run metadata to the hooks, and computes the same step as a run without.
 */
class TrainStepHooksTest {
  @Test
  void fullTraceReportsEveryPhasesExecutedNodesAndLeavesTheStepUnchanged() {
    double[] plain;
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      plain = SimultaneousGanStepTest.step(g, s);
    }
    List<RunMetadata> seen = new ArrayList<>();
    TrainStep.Hooks trace = new TrainStep.Hooks() {
      @Override
      public RunOptions options(int index, Phase phase) {
        return RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).setOutputPartitionGraphs(true).build();
      }

      @Override
      public void metadata(int index, Phase phase, RunMetadata metadata) {
        seen.add(metadata);
      }
    };
    double[] traced;
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      try (Batch b = new Batch(tensor(Shape.of(4, 4, 4, 1), values(64, 9, 1)), null)) {
        traced = g.trainStep().run(s, b, 0, trace);
      }
    }
    assertArrayEquals(plain, traced, "a traced step must compute what an untraced one does");
    assertEquals(1, seen.size(), "the simultaneous step is one session run");
    RunMetadata m = seen.get(0);
    Set<String> executed = m.getStepStats().getDevStatsList().stream()
        .flatMap(d -> d.getNodeStatsList().stream()).map(NodeExecStats::getNodeName).collect(Collectors.toSet());
    Set<String> partition = m.getPartitionGraphsList().stream()
        .flatMap(gd -> gd.getNodeList().stream()).map(NodeDef::getName).collect(Collectors.toSet());
    assertFalse(partition.isEmpty(), "partition graphs were asked for");
    // The generator's dense layer and an optimizer update ran, and every executed node is one of the partition graphs'.
    assertTrue(executed.stream().anyMatch(n -> n.startsWith("train_step/") && n.contains("MatMul")), executed::toString);
    assertTrue(executed.stream().anyMatch(n -> n.contains("AssignSubVariableOp")), executed::toString);
    assertTrue(partition.containsAll(executed.stream().filter(n -> !n.startsWith("_SOURCE")).toList()),
        "executed nodes missing from the partition graphs");
  }
}
