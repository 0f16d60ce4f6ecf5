package io.jgan.train;

import io.jgan.IsolatedNetwork;
import io.jgan.data.Batch;
import io.jgan.presets.Presets;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.Replication;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.Schedule;
import io.jgan.train.graph.TrainingGraph;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat64;
import static org.junit.jupiter.api.Assertions.assertEquals;


/**
 * Two worker processes on 127.0.0.1 of a private network namespace ({@link IsolatedNetwork}), one replica each, equal one device on their combined batch
 * (float64, to 1e-9 of each tensor's scale, as {@link ReplicasTest} reasons): each child JVM runs
 * the one-device step to observe its random draws, then its worker's step on its rows of the
 * batch and of the draws, the gradients all-reduced between the processes by TensorFlow's
 * collectives. Every saved variable of both workers' copies and every step's metrics are compared
 * with the one-device run.
 */
class TwoWorkersTest {
  private static final long SEED = 5;
  private static final int BATCH = 8;
  private static final int STEPS = 3;

  @TempDir Path dir;

  @Test
  void twoWorkerProcessesOfTheAlternatingStepEqualOneDevice() throws Exception {
    compare("gan-tf1", false);
  }

  @Test
  void twoWorkerProcessesWithSynchronisedBatchNormEqualOneDevice() throws Exception {
    compare("dcgan-mnist", true);
  }

  private void compare(String preset, boolean syncBatchNorm) throws Exception {
    IsolatedNetwork network = IsolatedNetwork.get(); // their servers listen on every interface: of a private network
    int[] ports = network.freshPorts(2);
    List<Process> children = new ArrayList<>();
    for (int task = 0; task < 2; task++) {
      List<String> command = network.wrap(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Worker.class.getName(), preset, Boolean.toString(syncBatchNorm),
          "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1], Integer.toString(task),
          dir.resolve("worker" + task + ".bin").toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("worker" + task + ".log").toFile());
      builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      children.add(builder.start());
    }
    for (int task = 0; task < 2; task++) {
      Process p = children.get(task);
      String log = dir.resolve("worker" + task + ".log").toString();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        children.forEach(Process::destroyForcibly);
        throw new AssertionError("worker " + task + " did not finish in 300 s: " + Files.readString(Path.of(log)));
      }
      assertEquals(0, p.exitValue(), Files.readString(Path.of(log)));
    }
    for (int task = 0; task < 2; task++) {
      ReplicasTest.Comparison c = read(dir.resolve("worker" + task + ".bin"));
      System.out.print(preset + ", worker " + task + ": ");
      c.assertEqual();
    }
  }

  /** A worker's child JVM: {@code preset syncBatchNorm cluster task output}. */
  public static final class Worker {
    public static void main(String[] args) throws Exception {
      var spec = Presets.get(args[0]);
      boolean syncBatchNorm = Boolean.parseBoolean(args[1]);
      Cluster cluster = Cluster.parse(args[2], Integer.parseInt(args[3]));
      Replication replication = Replication.multiWorker(cluster, 1, syncBatchNorm, false, 120);
      try (TrainingGraph<TFloat64> one = TrainingGraph.float64(spec, SEED, BATCH, 0, false);
           TrainingGraph<TFloat64> worker = TrainingGraph.float64(spec, SEED, BATCH, 0, false, replication)) {
        List<Operand<?>> readsOne = ReplicasTest.reads(one);
        List<Operand<?>> readsWorker = ReplicasTest.reads(worker);
        try (Session s1 = one.openSession(1, false); Session sw = worker.openSession(1, false)) {
          one.initialize(s1);
          worker.initialize(sw);
          worker.verifySameStart(sw, Progress.START, new Schedule(1, STEPS, 0));
          List<double[]> m1 = new ArrayList<>();
          List<double[]> mw = new ArrayList<>();
          Random data = new Random(11); // the same batches in both workers: each feeds its own rows
          for (int k = 0; k < STEPS; k++) {
            ReplicasTest.Draws draws = new ReplicasTest.Draws();
            try (TFloat64 images = ReplicasTest.images(spec.imageShape(), BATCH, data)) {
              m1.add(one.trainStep().run(s1, new Batch(images, null), k, draws.recorder()));
              mw.add(worker.trainStep().run(sw, new Batch(images, null), k, draws.splitter(replication.totalReplicas())));
            } finally {
              draws.close();
            }
          }
          write(Path.of(args[4]), new ReplicasTest.Comparison(ReplicasTest.names(one), ReplicasTest.values(s1, readsOne),
              ReplicasTest.values(sw, readsWorker), m1, mw));
        }
      }
      System.out.println("worker " + cluster.task() + " done");
      System.exit(0); // past the server, which TensorFlow cannot stop
    }
  }

  private static void write(Path file, ReplicasTest.Comparison c) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.writeInt(c.names().size());
      for (String n : c.names()) {
        out.writeUTF(n);
      }
      for (List<double[]> list : List.of(c.one(), c.replicated(), c.metricsOne(), c.metricsReplicated())) {
        out.writeInt(list.size());
        for (double[] v : list) {
          out.writeInt(v.length);
          for (double x : v) {
            out.writeDouble(x);
          }
        }
      }
    }
  }

  private static ReplicasTest.Comparison read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      List<String> names = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        names.add(in.readUTF());
      }
      List<List<double[]>> lists = new ArrayList<>();
      for (int l = 0; l < 4; l++) {
        List<double[]> list = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
          double[] v = new double[in.readInt()];
          for (int j = 0; j < v.length; j++) {
            v[j] = in.readDouble();
          }
          list.add(v);
        }
        lists.add(list);
      }
      return new ReplicasTest.Comparison(names, lists.get(0), lists.get(1), lists.get(2), lists.get(3));
    }
  }
}
