package io.jgan.train.graph;

import io.jgan.data.Batch;
import io.jgan.gan.GanStep;
import io.jgan.gan.Phase;
import io.jgan.nn.CrossReplica;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.Weight;
import io.jgan.optim.Optimizer;
import io.jgan.train.distributed.Collectives;
import io.jgan.train.distributed.Placement;
import io.jgan.train.distributed.Replication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A preset's train step replicated for data-parallel training, with the semantics of
 * tf.distribute's {@code MirroredStrategy} under Keras 3:
 *
 * <pre>
 *   the global batch of B rows is split among the R replicas (B/R rows each; see Replication.rowsOf)
 *   replica r, on its own device: the preset's step on its rows (its own noise, dropout masks, ...)
 *     up to the gradients g_r of its loss L_r (a mean over its rows)
 *   g = (1/R) sum_r g_r        by TensorFlow's all-reduce (CollectiveReduceV2), on every replica
 *   one optimizer update with g (replica 0's), after every replica has read the weights
 * </pre>
 *
 * With R equal shares the mean of the replicas' mean losses is the global batch's mean loss, so
 * the update is the one-device update of the global batch, given the same random draws (checked
 * to 1e-9 in float64 by {@code ReplicasTest}). Each phase of the step (D then G, or n critic
 * iterations then G) is one session run of all towers; its metrics are the replicas' means.
 *
 * <p>Each tower is built by the preset's own step factory, which sees the tower's scope
 * ({@code replica_r/}, on the tower's device), the replica's share of the batch size, optimizers
 * that all-reduce before they update, and training passes that know the other replicas
 * ({@link CrossReplica}). One copy of every variable serves all towers: reads carry no device and
 * are placed with their variable, and the values travel to the towers (on virtual CPU devices of
 * one process they are shared memory). Random draws: every tower's random ops take their own
 * streams of the run's {@link io.jgan.nn.RandomSource}, allocated in build order, so a replica's
 * noise and masks are a fixed function of (seed, step, sub-step, replica) and an exact resume with
 * the same number of replicas replays them.
 *
 * <p>BatchNorm, as Keras 3 under MirroredStrategy: by default each replica normalises with its own
 * batch statistics and only replica 0 updates the moving statistics (Keras keeps a copy per
 * replica and saves and infers with replica 0's; the others are never read). With
 * {@code syncBatchNorm} every replica normalises with the global batch's statistics
 * (all-reduced), and replica 0's moving statistics, updated from them, are what one device would
 * compute.
 *
 * <p>A checkpoint holds the one copy of each variable under the usual keys: a run resumes with any
 * number of replicas, and Python reads it as any other.
 */
public final class ReplicatedStep {
  private ReplicatedStep() {}

  /**
   * Random streams a tower may take: replica r's random ops take streams from
   * {@code first + r * STREAMS_PER_REPLICA} on, whichever process builds it, so that a worker that
   * builds only replica 1 draws what replica 1 draws in one process.
   */
  static final int STREAMS_PER_REPLICA = 10_000;

  /**
   * What a step factory sees of the graph while it builds one tower (see
   * {@link TrainingGraph#inTower}): its ops, its share of the batch, its view of the other replicas
   * and the first of its random streams.
   */
  record TowerScope(Ops tf, int batchSize, Tower crossReplica, int firstStream) {
    <T extends TFloating> Optimizer<T> optimizer(Optimizer<T> shared) {
      return new TowerOptimizer<>(shared, crossReplica);
    }
  }

  /**
   * Builds the replicated step into {@code g}: one tower per local replica, then the all-reduce
   * of each phase's metrics, then phases that run every tower at once.
   */
  static <T extends TFloating> TrainStep build(TrainingGraph<T> g, GanStep factory, Replication replication) {
    Ops base = g.tf();
    Collectives.Group group = replication.group();
    int firstStream = g.random().peekStream();
    List<Tower> towers = new ArrayList<>();
    List<TrainStep> steps = new ArrayList<>();
    for (int local = 0; local < replication.localReplicas(); local++) {
      int replica = replication.firstReplica() + local;
      DeviceSpec device = replication.device(local);
      Ops towerTf = base.withSubScope("replica_" + replica).withDevice(device);
      Tower tower = new Tower(replica, towerTf, group, local == 0, replication.syncBatchNorm());
      int[] share = Replication.rowsOf(g.batchSize(), replica, replication.totalReplicas());
      int firstOp = Placement.operationCount(g.graph());
      int towerStreams = firstStream + replica * STREAMS_PER_REPLICA;
      TrainStep step = g.inTower(new TowerScope(towerTf, share[1] - share[0], tower, towerStreams), () -> TrainStep.of(factory.build(g), g.random()));
      // The tower's gradient ops were built with no device: give them the tower's.
      Placement.placeUnplaced(g.graph(), firstOp, device);
      towers.add(tower);
      steps.add(step);
    }
    g.random().skipTo(firstStream + replication.totalReplicas() * STREAMS_PER_REPLICA);
    TrainStep first = steps.get(0);
    List<Phase> phases = new ArrayList<>();
    // Phases that share their ops (WGAN-GP's critic iterations) share their metric all-reduces too.
    Map<Op, Phase> byUpdate = new IdentityHashMap<>();
    int last = first.phases().size() - 1;
    TrainStep.StopVote vote = null;
    for (int p = 0; p < first.phases().size(); p++) {
      Phase phase0 = first.phases().get(p);
      Phase built = byUpdate.get(phase0.update());
      if (built == null) {
        // Worker processes vote in the step's last phase (see replicatedPhase).
        Replicated r = replicatedPhase(base, p, steps, towers, p == last && replication.multiWorker());
        built = r.phase();
        vote = r.vote() != null ? r.vote() : vote;
        byUpdate.put(phase0.update(), built);
      }
      phases.add(new Phase(phase0.name(), phase0.substep(), phase0.feedsBatch(), built.metrics(), built.update(),
          built.randomTensors()));
    }
    return new TrainStep(first.metricNames(), phases, g.random().step(), g.random().substep(), first.realImages(),
        first.labels(), new SplitBatch(steps, replication), vote);
  }

  /** A phase of every tower as one session run, and the stop vote it carries (null if none). */
  private record Replicated(Phase phase, TrainStep.StopVote vote) {}

  /** The name under which the vote travels with a phase's metrics. */
  private static final String STOP_VOTE = "stop_vote";

  /**
   * Phase {@code p} of every tower as one session run: the metrics are replica 0's all-reduced
   * means; the update runs every tower's update and every other tower's metric all-reduce (a
   * collective completes only when all its members run). Random tensors are named
   * {@code replica_r/<name>}.
   *
   * <p>With {@code voting}, worker processes agree here to stop after the same step: each tower's
   * metrics carry a vote (1 when its process was asked to stop, fed to the process's first tower; 0
   * by default), and the mean of the votes, above 0 when any process voted, is the same in all.
   */
  private static Replicated replicatedPhase(Ops base, int p, List<TrainStep> steps, List<Tower> towers, boolean voting) {
    Operand<?> voteFeed = null;
    Map<String, Operand<?>> metrics = new LinkedHashMap<>();
    List<Operation> runs = new ArrayList<>();
    Map<String, Operand<?>> randomTensors = new LinkedHashMap<>();
    for (int t = 0; t < steps.size(); t++) {
      Phase phase = steps.get(t).phases().get(p);
      List<String> names = new ArrayList<>(phase.metrics().keySet());
      List<Operand<TFloating>> values = new ArrayList<>();
      for (String n : names) {
        @SuppressWarnings("unchecked")
        Operand<TFloating> v = (Operand<TFloating>) phase.metrics().get(n);
        values.add(v);
      }
      Tower tower = towers.get(t);
      if (voting) {
        Ops v = tower.tf.withSubScope(STOP_VOTE);
        Operand<TFloating> feed = v.placeholderWithDefault(v.dtypes.cast(v.constant(0f), values.get(0).type()), Shape.scalar());
        names.add(STOP_VOTE);
        values.add(feed);
        voteFeed = t == 0 ? feed : voteFeed;
      }
      List<Operand<TFloating>> means = Collectives.allReduce(tower.tf.withSubScope("metrics"), values, tower.group,
          tower.keys.next(), Collectives.Reduction.MEAN);
      if (t == 0) {
        for (int i = 0; i < names.size(); i++) {
          metrics.put(names.get(i), means.get(i));
        }
      } else {
        means.forEach(m -> runs.add(m.op()));
      }
      runs.add(phase.update().op());
      String prefix = "replica_" + tower.replica + "/";
      phase.randomTensors().forEach((name, tensor) -> randomTensors.put(prefix + name, tensor));
    }
    Op update = base.withControlDependencyOps(runs).withName("replicated_" + steps.get(0).phases().get(p).name()).noOp();
    Phase phase0 = steps.get(0).phases().get(p);
    TrainStep.StopVote vote = voting ? new TrainStep.StopVote(voteFeed, metrics.remove(STOP_VOTE), p) : null;
    return new Replicated(new Phase(phase0.name(), phase0.substep(), phase0.feedsBatch(), metrics, update, randomTensors),
        vote);
  }

  /** One replica while its tower is built: its scope, its instance keys, and how it shares with the others. */
  static final class Tower implements CrossReplica {
    final int replica;
    final Ops tf;
    final Collectives.Group group;
    final Collectives.InstanceKeys keys = new Collectives.InstanceKeys();
    private final boolean primary;
    private final boolean syncBatchNorm;

    Tower(int replica, Ops tf, Collectives.Group group, boolean primary, boolean syncBatchNorm) {
      this.replica = replica;
      this.tf = tf;
      this.group = group;
      this.primary = primary;
      this.syncBatchNorm = syncBatchNorm;
    }

    @Override
    public <T extends TFloating> List<Operand<T>> sum(Ops ops, List<Operand<T>> values) {
      return Collectives.allReduce(ops, values, group, keys.next(), Collectives.Reduction.SUM);
    }

    @Override
    public boolean syncBatchNorm() {
      return syncBatchNorm;
    }

    /** The process's first tower writes the state; each process keeps its variables whole. */
    @Override
    public boolean writesState() {
      return primary;
    }

    /** Whether this tower applies the optimizer updates (the process's first). */
    boolean primary() {
      return primary;
    }
  }

  /**
   * A tower's view of a shared optimizer: {@link #apply} all-reduces the tower's gradients to
   * their mean over the replicas; the first tower then applies the shared optimizer's update,
   * the others only take part in the all-reduce. Everything else is the shared optimizer's.
   */
  static final class TowerOptimizer<T extends TFloating> implements Optimizer<T> {
    private final Optimizer<T> shared;
    private final Tower tower;

    TowerOptimizer(Optimizer<T> shared, Tower tower) {
      this.shared = shared;
      this.tower = tower;
    }

    /**
     * {@code tf} is the tower's scope with control dependencies on everything the tower computes
     * before its update, its reads of the weights included; the all-reduce completes only when
     * every tower has reached it, so the first tower's update follows every tower's reads.
     */
    @Override
    public Op apply(Ops tf, List<? extends Operand<T>> gradients) {
      List<Operand<T>> mean = Collectives.allReduce(tf.withSubScope(shared.name() + "_gradients"), gradients, tower.group,
          tower.keys.next(), Collectives.Reduction.MEAN);
      if (tower.primary()) {
        return shared.apply(tf, mean);
      }
      List<Operation> reduced = new ArrayList<>();
      mean.forEach(m -> reduced.add(m.op()));
      return tf.withControlDependencyOps(reduced).noOp();
    }

    @Override public String name() { return shared.name(); }
    @Override public Class<T> dtype() { return shared.dtype(); }
    @Override public List<Weight> weights() { return shared.weights(); }
    @Override public ResourceVariable<TInt64> iterations() { return shared.iterations(); }
    @Override public List<Op> initOps() { return shared.initOps(); }
    @Override public void trackChildren(Children children) { shared.trackChildren(children); }
  }

  /**
   * Splits each batch among the replicas on the host: replica r's rows
   * ({@link Replication#rowsOf}) go to its tower's placeholders, as one tensor each (a copy of the
   * rows' bytes). A process feeds its own towers only.
   */
  private static final class SplitBatch implements TrainStep.BatchFeed {
    private final List<TrainStep> towers;
    private final Replication replication;

    SplitBatch(List<TrainStep> towers, Replication replication) {
      this.towers = towers;
      this.replication = replication;
    }

    @Override
    public Map<Operand<?>, Tensor> feeds(Batch batch, List<Tensor> owned) {
      long rows = batch.size();
      int n = replication.totalReplicas();
      if (rows < n) {
        throw new IllegalArgumentException("a batch of " + rows + " examples cannot be split among " + n
            + " replicas: expected at least one example per replica");
      }
      Map<Operand<?>, Tensor> feeds = new HashMap<>();
      for (int t = 0; t < towers.size(); t++) {
        int[] range = Replication.rowsOf(rows, replication.firstReplica() + t, n);
        TrainStep tower = towers.get(t);
        feeds.put(tower.realImages(), rows(batch.images(), range, owned));
        if (tower.labels() != null) {
          feeds.put(tower.labels(), rows(batch.labels(), range, owned));
        }
      }
      return feeds;
    }

    /** Rows {@code [range[0], range[1])} of {@code t} as a new tensor. */
    private static Tensor rows(TFloating t, int[] range, List<Tensor> owned) {
      Shape shape = t.shape();
      long rowBytes = t.numBytes() / shape.size(0);
      long[] dims = shape.asArray();
      dims[0] = range[1] - range[0];
      Tensor out = Tensor.of(t.type(), Shape.of(dims),
          t.asRawTensor().data().slice(range[0] * rowBytes, dims[0] * rowBytes));
      owned.add(out);
      return out;
    }
  }
}
