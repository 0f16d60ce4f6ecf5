package io.jgan.train.distributed;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.DeviceSpec;

/**
 * How a train step is replicated for data-parallel training (tf.distribute's
 * {@code MirroredStrategy}, and {@code MultiWorkerMirroredStrategy} across processes): this process
 * builds {@code localReplicas} towers, each on its own device, which are replicas
 * {@code firstReplica ... firstReplica + localReplicas - 1} of {@code totalReplicas} in all. The
 * global batch is split among all replicas; their gradients are averaged by an all-reduce before
 * one optimizer update.
 *
 * @param localReplicas towers in this process, one per device
 * @param firstReplica the global index of this process's first tower (0 in one process)
 * @param totalReplicas replicas in all processes
 * @param syncBatchNorm BatchNorm normalises with the global batch's statistics (Keras {@code synchronized=True})
 *     rather than each replica's own
 * @param gpu towers on {@code /device:GPU:i} (all-reduced with NCCL) instead of virtual CPU devices
 * @param cluster the worker processes when there are several, or null in one process
 * @param timeoutSeconds an all-reduce that waits longer than this for the other replicas fails (0: waits for ever)
 */
public record Replication(int localReplicas, int firstReplica, int totalReplicas, boolean syncBatchNorm, boolean gpu,
    Cluster cluster, float timeoutSeconds) {
  /**
   * Seconds a worker's all-reduce waits for the others before its run stops (train
   * --worker-timeout): the longest pause of one worker that the others must sit out (the chief's
   * checkpoints, grids and evaluation between steps, a worker started late), and how long a
   * worker that stopped answering goes unnoticed (one that dies is noticed at once).
   */
  public static final int TIMEOUT_DEFAULT_SECONDS = 120;
  /** All replicas form one group. */
  public static final int GROUP_KEY = 1;
  /** The communication hint of CPU all-reduces: TensorFlow's choice (a ring). */
  public static final String CPU_HINT = "auto";
  /** Between GPUs: NCCL, as MirroredStrategy's default cross-device ops. */
  public static final String GPU_HINT = "nccl";

  public Replication {
    if (localReplicas < 1) {
      throw new IllegalArgumentException("--replicas: expected an integer >= 1, got " + localReplicas);
    }
    if (firstReplica < 0 || firstReplica + localReplicas > totalReplicas) {
      throw new IllegalArgumentException("expected replicas " + firstReplica + ".." + (firstReplica + localReplicas - 1)
          + " to lie within the " + totalReplicas + " replicas in all");
    }
    if (!(timeoutSeconds >= 0)) {
      throw new IllegalArgumentException("expected an all-reduce timeout >= 0 seconds, got " + timeoutSeconds);
    }
  }

  /** {@code replicas} towers in this process, on virtual CPU devices or on GPUs. */
  public static Replication local(int replicas, boolean syncBatchNorm, boolean gpu) {
    return new Replication(replicas, 0, replicas, syncBatchNorm, gpu, null, 0);
  }

  /**
   * {@code replicasPerWorker} towers in each of {@code cluster}'s worker processes, this one's
   * being replicas {@code task * replicasPerWorker ...}; an all-reduce that waits more than
   * {@code timeoutSeconds} for the others fails (how a lost worker is noticed: TensorFlow's
   * collectives do not see a peer die).
   */
  public static Replication multiWorker(Cluster cluster, int replicasPerWorker, boolean syncBatchNorm, boolean gpu,
      float timeoutSeconds) {
    return new Replication(replicasPerWorker, cluster.task() * replicasPerWorker, cluster.size() * replicasPerWorker,
        syncBatchNorm, gpu, cluster, timeoutSeconds);
  }

  /** Whether there is one replica in all: the plain single-device step, no all-reduce. */
  public boolean single() {
    return totalReplicas == 1;
  }

  /** Whether this process writes the run's outputs (checkpoints, grids, logs): the one holding replica 0. */
  public boolean chief() {
    return firstReplica == 0;
  }

  /** Whether the replicas span several worker processes. */
  public boolean multiWorker() {
    return cluster != null;
  }

  /** The device of local tower {@code i}: {@code /device:CPU:i} or {@code /device:GPU:i}, within this process's task. */
  public DeviceSpec device(int i) {
    DeviceSpec.Builder b = DeviceSpec.newBuilder();
    if (cluster != null) {
      b.job(Cluster.JOB).replica(0).task(cluster.task());
    }
    return b.deviceType(gpu ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU).deviceIndex(i).build();
  }

  /** The devices of the local towers, in order. */
  public List<DeviceSpec> devices() {
    List<DeviceSpec> out = new ArrayList<>();
    for (int i = 0; i < localReplicas; i++) {
      out.add(device(i));
    }
    return out;
  }

  /** The all-reduce group of every replica. */
  public Collectives.Group group() {
    return new Collectives.Group(totalReplicas, GROUP_KEY, gpu ? GPU_HINT : CPU_HINT, timeoutSeconds);
  }

  /** CPU devices a session of this process needs: one per tower on CPUs, else 1. */
  public int cpuDevices() {
    return gpu ? 1 : localReplicas;
  }

  /**
   * Why batches of {@code batchSize} from {@code examples} examples cannot be split among this
   * replication's replicas (each needs at least one row of every batch), or null when they can.
   *
   * @param steps the steps of an epoch actually run (a cap may leave out its last, smaller batch)
   */
  public String splitProblem(int batchSize, long examples, int steps) {
    if (batchSize < totalReplicas) {
      return "--batch-size " + batchSize + " cannot be split among " + totalReplicas
          + " replicas: expected a batch of at least one example per replica";
    }
    long last = examples % batchSize;
    long full = examples / batchSize;
    if (last > 0 && last < totalReplicas && steps > full) {
      return "the last batch of each epoch holds " + last + " of the " + examples + " examples and cannot be split among "
          + totalReplicas + " replicas: expected another --batch-size (or --replicas)";
    }
    return null;
  }

  /**
   * Rows {@code [from, to)} of a batch of {@code rows} that replica {@code r} takes: as even a split
   * as can be, the first replicas one row fewer when it does not divide ({@code floor(r * rows / n)}).
   */
  public static int[] rowsOf(long rows, int r, int n) {
    return new int[] {(int) (r * rows / n), (int) ((r + 1) * rows / n)};
  }

  /** The line that says how the step is replicated: devices, each replica's share of a batch of {@code batchSize}, BatchNorm. */
  public String describe(int batchSize) {
    int n = totalReplicas();
    int fewest = batchSize / n;
    int most = (batchSize + n - 1) / n;
    return String.format(java.util.Locale.ROOT, "Replicas: %d%s on %s, %s examples each per step; BatchNorm statistics %s",
        n, multiWorker() ? " in all, " + localReplicas() + " in this worker" : "",
        String.join(", ", devices().stream().map(Object::toString).toList()),
        fewest == most ? Integer.toString(fewest) : fewest + " to " + most,
        syncBatchNorm() ? "of the whole batch (--sync-bn)" : "per replica, replica 0's kept");
  }
}
