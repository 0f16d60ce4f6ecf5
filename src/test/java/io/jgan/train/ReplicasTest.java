package io.jgan.train;

import io.jgan.data.Batch;
import io.jgan.gan.Phase;
import io.jgan.presets.Presets;
import io.jgan.store.ObjectGraph;
import io.jgan.train.distributed.Replication;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Data-parallel steps compute what one device computes on the global batch (float64, so the only
 * differences are the order of sums: one device adds B rows at once, two replicas add B/2 rows
 * each and then the all-reduce adds the two sums).
 *
 * <p>Both configurations get the same random draws: the one-device step's noise and dropout masks
 * are observed as it runs, and each replica is fed its rows of them. With B/R rows each, the
 * replicas' mean losses average to the global mean loss, so the averaged gradients are the global
 * gradients and every weight, Adam slot and BatchNorm statistic after several steps agrees to
 * 1e-9 of its tensor's scale (1e-9 is about 10^7 ulps of float64: room for the reordered sums
 * passing through a few Adam steps, whose m / sqrt(v) divides out any common scale; far below a
 * wrong gradient, which moves a weight by about the learning rate).
 */
class ReplicasTest {
  /**
   * {@code JGAN_REPLICAS_DEVICE=gpu} (set by {@code scripts/gpu-check.sh} on a machine with two GPUs
   * and the {@code -Pgpu} build): the replicated graphs' towers on GPU:0 and GPU:1 with the
   * NCCL-hinted all-reduce; the one-device reference stays on the CPU. Unset: virtual CPU devices.
   */
  static final boolean GPU = "gpu".equals(System.getenv("JGAN_REPLICAS_DEVICE"));
  private static final long SEED = 5;
  private static final double TOLERANCE = 1e-9;

  @Test
  void twoReplicasOfTheAlternatingStepEqualOneDeviceOnTheGlobalBatch() {
    // gan-tf1: D step then G step through the updated D, no BatchNorm, no dropout.
    Comparison c = compare("gan-tf1", Replication.local(2, false, GPU), 8, 3);
    c.assertEqual();
  }

  @Test
  void twoReplicasWithSynchronisedBatchNormEqualOneDevice() {
    // dcgan-mnist: G has three BatchNorm layers, D two dropout layers called on real and fake.
    Comparison c = compare("dcgan-mnist", Replication.local(2, true, GPU), 8, 3);
    c.assertEqual();
  }

  /**
   * Without {@code --sync-bn} each replica normalises with its own rows' statistics and replica 0's
   * moving statistics are the ones kept (Keras 3 under MirroredStrategy saves replica 0's copy): after
   * one step of two replicas on 8 rows they equal those of one device trained on replica 0's 4 rows
   * with replica 0's draws.
   */
  @Test
  void withoutSyncBatchNormReplicaZerosStatisticsAreKept() {
    var spec = Presets.get("dcgan-mnist");
    int batch = 8;
    try (TrainingGraph<TFloat64> many = TrainingGraph.float64(spec, SEED, batch, 0, false, Replication.local(2, false, GPU));
         TrainingGraph<TFloat64> half = TrainingGraph.float64(spec, SEED, batch / 2, 0, false)) {
      List<Operand<?>> readsMany = reads(many);
      List<Operand<?>> readsHalf = reads(half);
      try (Session sn = many.openSession(2, GPU); Session sh = half.openSession(1, false);
           TFloat64 images = images(spec.imageShape(), batch, new Random(3));
           TFloat64 firstRows = rows(images, 0, batch / 2)) {
        many.initialize(sn);
        half.initialize(sh);
        Draws draws = new Draws();
        try (draws) {
          many.trainStep().run(sn, new Batch(images, null), 0, draws.recorder());
          half.trainStep().run(sh, new Batch(firstRows, null), 0, draws.replayer("replica_0/"));
        }
        List<String> names = names(many);
        List<double[]> replicated = values(sn, readsMany);
        List<double[]> replicaZero = values(sh, readsHalf);
        int checked = 0;
        for (int v = 0; v < names.size(); v++) {
          if (names.get(v).contains("moving_")) {
            assertArrayEquals(replicaZero.get(v), replicated.get(v), 1e-12, names.get(v));
            // and the step did move them from their initial zeros and ones
            double initial = names.get(v).contains("moving_mean") ? 0 : 1;
            assertTrue(java.util.Arrays.stream(replicated.get(v)).anyMatch(x -> x != initial), names.get(v) + " unchanged");
            checked++;
          }
        }
        assertEquals(6, checked, "moving mean and variance of G's three BatchNorm layers");
      }
    }
  }

  static TFloat64 images(Shape image, int batch, Random random) {
    Shape shape = Shape.of(batch, image.size(0), image.size(1), image.size(2));
    double[] pixels = new double[(int) shape.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextDouble() * 2 - 1;
    }
    return TFloat64.tensorOf(shape, DataBuffers.of(pixels, true, false));
  }

  private static TFloat64 rows(TFloat64 t, int from, int to) {
    long[] dims = t.shape().asArray();
    dims[0] = to - from;
    TFloat64 out = TFloat64.tensorOf(Shape.of(dims));
    t.slice(org.tensorflow.ndarray.index.Indices.range(from, to)).copyTo(out);
    return out;
  }

  /** What two graphs hold after the same steps: every saved variable, and every step's metrics. */
  record Comparison(List<String> names, List<double[]> one, List<double[]> replicated, List<double[]> metricsOne,
      List<double[]> metricsReplicated) {
    void assertEqual() {
      for (int k = 0; k < metricsOne.size(); k++) {
        double[] a = metricsOne.get(k);
        double[] b = metricsReplicated.get(k);
        for (int i = 0; i < a.length; i++) {
          assertTrue(Math.abs(a[i] - b[i]) <= TOLERANCE * Math.max(1, Math.abs(a[i])),
              "step " + k + " metric " + i + ": one device " + a[i] + ", replicas " + b[i]);
        }
      }
      double worst = 0;
      for (int v = 0; v < names.size(); v++) {
        double[] a = one.get(v);
        double[] b = replicated.get(v);
        assertEquals(a.length, b.length, names.get(v));
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
          scale = Math.max(scale, Math.abs(a[i]));
          diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        double relative = scale == 0 ? diff : diff / scale;
        worst = Math.max(worst, relative);
        assertTrue(relative <= TOLERANCE, names.get(v) + ": differs by " + relative + " of its scale " + scale);
      }
      System.out.printf("largest difference of a saved variable, relative to its scale: %.3g%n", worst);
    }
  }

  /**
   * Trains {@code preset} {@code steps} steps on one device with batch {@code batch}, recording each
   * phase's random draws, and with {@code replication} on the same batches and draws split by rows.
   */
  static Comparison compare(String preset, Replication replication, int batch, int steps) {
    var spec = Presets.get(preset);
    try (TrainingGraph<TFloat64> one = TrainingGraph.float64(spec, SEED, batch, 0, false);
         TrainingGraph<TFloat64> many = TrainingGraph.float64(spec, SEED, batch, 0, false, replication)) {
      List<Operand<?>> readsOne = reads(one);
      List<Operand<?>> readsMany = reads(many);
      try (Session s1 = one.openSession(1, false); Session sn = many.openSession(2, GPU)) {
        one.initialize(s1);
        many.initialize(sn);
        List<double[]> m1 = new ArrayList<>();
        List<double[]> mn = new ArrayList<>();
        Random data = new Random(11);
        for (int k = 0; k < steps; k++) {
          Draws draws = new Draws();
          try (TFloat64 images = images(spec.imageShape(), batch, data)) {
            m1.add(one.trainStep().run(s1, new Batch(images, null), k, draws.recorder()));
            mn.add(many.trainStep().run(sn, new Batch(images, null), k, draws.splitter(replication.totalReplicas())));
          } finally {
            draws.close();
          }
        }
        return new Comparison(names(one), values(s1, readsOne), values(sn, readsMany), m1, mn);
      }
    }
  }

  /** Records each phase's random tensors on one device; feeds each replica its rows of them. */
  static final class Draws implements AutoCloseable {
    private final Map<String, double[]> values = new HashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final List<Tensor> opened = new ArrayList<>();

    TrainStep.Hooks recorder() {
      return new TrainStep.Hooks() {
        @Override
        public List<Operand<?>> observe(int index, Phase phase) {
          return new ArrayList<>(phase.randomTensors().values());
        }

        @Override
        public void observed(int index, Phase phase, List<Tensor> tensors) {
          List<String> names = new ArrayList<>(phase.randomTensors().keySet());
          for (int i = 0; i < names.size(); i++) {
            TFloat64 t = (TFloat64) tensors.get(i);
            double[] v = new double[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(v, false, false));
            values.put(index + "/" + names.get(i), v);
            shapes.put(index + "/" + names.get(i), t.shape());
          }
        }
      };
    }

    /** Replica r's {@code replica_r/name} gets rows {@link Replication#rowsOf} of the one-device draw {@code name}. */
    TrainStep.Hooks splitter(int replicas) {
      return new TrainStep.Hooks() {
        @Override
        public Map<Operand<?>, Tensor> replacements(int index, Phase phase) {
          Map<Operand<?>, Tensor> feeds = new HashMap<>();
          phase.randomTensors().forEach((name, operand) -> {
            int slash = name.indexOf('/');
            int replica = Integer.parseInt(name.substring("replica_".length(), slash));
            String key = index + "/" + name.substring(slash + 1);
            double[] all = values.get(key);
            if (all == null) {
              throw new IllegalStateException("no one-device draw " + key + " for " + name);
            }
            Shape shape = shapes.get(key);
            long rowSize = shape.size() / shape.size(0);
            int[] rows = Replication.rowsOf(shape.size(0), replica, replicas);
            long[] dims = shape.asArray();
            dims[0] = rows[1] - rows[0];
            double[] part = java.util.Arrays.copyOfRange(all, (int) (rows[0] * rowSize), (int) (rows[1] * rowSize));
            TFloat64 t = TFloat64.tensorOf(Shape.of(dims), DataBuffers.of(part, true, false));
            opened.add(t);
            feeds.put(operand, t);
          });
          return feeds;
        }
      };
    }

    /** Feeds each random tensor {@code name} the recorded draw {@code prefix + name}. */
    TrainStep.Hooks replayer(String prefix) {
      return new TrainStep.Hooks() {
        @Override
        public Map<Operand<?>, Tensor> replacements(int index, Phase phase) {
          Map<Operand<?>, Tensor> feeds = new HashMap<>();
          phase.randomTensors().forEach((name, operand) -> {
            String key = index + "/" + prefix + name;
            TFloat64 t = TFloat64.tensorOf(shapes.get(key), DataBuffers.of(values.get(key), true, false));
            opened.add(t);
            feeds.put(operand, t);
          });
          return feeds;
        }
      };
    }

    @Override
    public void close() {
      opened.forEach(Tensor::close);
      opened.clear();
    }
  }

  /** A read of every saved variable (weights, BatchNorm statistics, optimizer state), in save order. */
  static List<Operand<?>> reads(TrainingGraph<?> g) {
    List<Operand<?>> out = new ArrayList<>();
    for (ObjectGraph.Owned o : g.checkpoint().objectGraph().owned()) {
      out.add(o.variable().variable().read(g.tf()));
    }
    return out;
  }

  static List<String> names(TrainingGraph<?> g) {
    List<String> out = new ArrayList<>();
    for (ObjectGraph.Owned o : g.checkpoint().objectGraph().owned()) {
      out.add(o.variable().description());
    }
    return out;
  }

  static List<double[]> values(Session s, List<Operand<?>> reads) {
    Session.Runner runner = s.runner();
    reads.forEach(runner::fetch);
    List<double[]> out = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < reads.size(); i++) {
        Tensor t = r.get(i);
        if (t instanceof TFloat64 f) {
          double[] v = new double[(int) f.shape().size()];
          f.copyTo(DataBuffers.of(v, false, false));
          out.add(v);
        } else {
          TInt64 n = (TInt64) t;
          long[] v = new long[(int) n.shape().size()];
          n.copyTo(DataBuffers.of(v, false, false));
          out.add(java.util.Arrays.stream(v).asDoubleStream().toArray());
        }
      }
    }
    return out;
  }
}
