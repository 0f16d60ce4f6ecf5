package io.jgan.train.graph;

import io.jgan.gan.GanSpec;
import io.jgan.gan.GanStep;
import io.jgan.gan.StepBuilder;
import io.jgan.gan.Steps;
import io.jgan.nn.CallContext;
import io.jgan.nn.RandomSource;
import io.jgan.nn.Trackable;
import io.jgan.optim.Optimizer;
import io.jgan.store.Checkpoint;
import io.jgan.store.ObjectGraph;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.Replication;
import io.jgan.train.distributed.StartCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Everything a GAN training run computes, as one TensorFlow graph: the two networks, one
 * optimizer each, the train step, inference (G(z) and D(x) with {@code training=False}) for
 * sample grids, and the checkpoint of the four objects, named as the DCGAN tutorial's
 * {@code tf.train.Checkpoint(generator_optimizer=..., discriminator_optimizer=..., generator=...,
 * discriminator=...)} names them, with the run's progress and configuration.
 *
 * <p>Built in the same order every time, so op names and random streams are stable across runs.
 * {@code T} is the type of every weight, image and loss: float32 for training
 * ({@link #float32}), float64 for the parity checks ({@link #float64}).
 */
public final class TrainingGraph<T extends TFloating> implements StepBuilder<T>, AutoCloseable {
  public static final String GENERATOR = "generator";
  public static final String DISCRIMINATOR = "discriminator";
  public static final String GENERATOR_OPTIMIZER = "generator_optimizer";
  public static final String DISCRIMINATOR_OPTIMIZER = "discriminator_optimizer";
  /** Everything: resuming training. */
  public static final Set<String> ALL = Set.of(GENERATOR, DISCRIMINATOR, GENERATOR_OPTIMIZER, DISCRIMINATOR_OPTIMIZER);

  private final long seed;
  private final int batchSize;
  private final boolean normalGpAlpha;
  private final Graph graph;
  private final Ops tf;
  private final RandomSource random;
  private final GanNetworks<T> networks;
  private final Optimizer<T> generatorOptimizer;
  private final Optimizer<T> discriminatorOptimizer;
  private final Inference<T> inference;
  /** The GAN's step, as the run asks for it (seed 003's normal GP alphas with {@code --gp-alpha normal}). */
  private final GanStep ganStep;
  private final TrainStep trainStep;
  private final Op initOp;
  private final Checkpoint checkpoint;
  private final List<String> checkedVariables = new ArrayList<>();
  private final List<Operand<TBool>> allFinite = new ArrayList<>();
  /** How the train step is replicated across devices; null for one device. */
  private final Replication replication;
  /** The worker processes this one trains with (its sessions run on its server), or null; a cluster of one has no replication. */
  private final Cluster cluster;
  /** The random stream the train step's first random op took: each unrolled copy starts there too. */
  private final int firstStepStream;
  /**
   * What a step factory sees while it builds: the graph's own scope, or that of one tower of a
   * replicated step, or that of one copy of the step unrolled into a session run. One place for the
   * three, so every accessor below answers for whichever is being built.
   */
  private StepScope scope;
  private final Map<Integer, MultiStep> multiSteps = new HashMap<>();
  /** Across worker processes: the check that all start alike (null in one process). */
  private final StartCheck startCheck;

  /**
   * Where a train step is built: its ops' scope, random source and batch size; a tower's view of
   * the replicas (null outside a tower); whether it is an unrolled copy, whose passes read the
   * variables after {@code barrier}, the update before them (the previous phase's or copy's).
   */
  private static final class StepScope {
    final Ops tf;
    final RandomSource random;
    final int batchSize;
    final ReplicatedStep.TowerScope tower;
    final boolean unrolled;
    Op barrier;

    StepScope(Ops tf, RandomSource random, int batchSize, ReplicatedStep.TowerScope tower, boolean unrolled, Op barrier) {
      this.tf = tf;
      this.random = random;
      this.batchSize = batchSize;
      this.tower = tower;
      this.unrolled = unrolled;
      this.barrier = barrier;
    }

    List<Op> readsAfter() {
      return barrier == null ? List.of() : List.of(barrier);
    }
  }

  /**
   * A float32 GAN, what users train.
   *
   * @param seed the run seed: initial weights and every random draw derive from it
   * @param batchSize examples per training step
   * @param classes number of classes of a class-conditional GAN, 0 for an unconditional one
   * @param normalGpAlpha WGAN-GP: draw the penalty's alphas from N(0, 1) as seed 003 does
   *     ({@code --gp-alpha normal}) instead of the paper's U(0, 1)
   */
  public static TrainingGraph<TFloat32> float32(GanSpec spec, long seed, int batchSize, int classes, boolean normalGpAlpha) {
    return new TrainingGraph<>(spec, seed, batchSize, classes, normalGpAlpha, TFloat32.class, null);
  }

  /** The same GAN in float64 (weights, optimizer state, images, losses): the parity checks' build. */
  public static TrainingGraph<TFloat64> float64(GanSpec spec, long seed, int batchSize, int classes, boolean normalGpAlpha) {
    return new TrainingGraph<>(spec, seed, batchSize, classes, normalGpAlpha, TFloat64.class, null);
  }

  /**
   * A float32 GAN whose train step is replicated for data-parallel training (see
   * {@link ReplicatedStep}); with one replica in all, the plain step. The variables, inference
   * and checkpoint are those of any other graph.
   */
  public static TrainingGraph<TFloat32> float32(GanSpec spec, long seed, int batchSize, int classes, boolean normalGpAlpha,
      Replication replication) {
    return new TrainingGraph<>(spec, seed, batchSize, classes, normalGpAlpha, TFloat32.class, replication);
  }

  /** The replicated GAN in float64, for the checks that replicas compute what one device does. */
  public static TrainingGraph<TFloat64> float64(GanSpec spec, long seed, int batchSize, int classes, boolean normalGpAlpha,
      Replication replication) {
    return new TrainingGraph<>(spec, seed, batchSize, classes, normalGpAlpha, TFloat64.class, replication);
  }

  private TrainingGraph(GanSpec spec, long seed, int batchSize, int classes, boolean normalGpAlpha, Class<T> dtype,
      Replication replication) {
    this.seed = seed;
    this.replication = replication != null && !replication.single() ? replication : null;
    this.cluster = replication != null ? replication.cluster() : null;
    this.batchSize = batchSize;
    this.normalGpAlpha = normalGpAlpha;
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph);
      this.random = RandomSource.withStepPlaceholder(tf, seed);
      this.scope = new StepScope(tf, random, batchSize, null, false, null);
      this.networks = GanNetworks.build(tf, spec, classes, seed, dtype, true);
      this.generatorOptimizer = spec.generatorOptimizer()
          .create(tf, GENERATOR_OPTIMIZER, networks.generator().trainableWeights(), dtype);
      this.discriminatorOptimizer = spec.discriminatorOptimizer()
          .create(tf, DISCRIMINATOR_OPTIMIZER, networks.discriminator().trainableWeights(), dtype);
      this.inference = new Inference<>(tf, networks);
      this.firstStepStream = random.peekStream();
      this.ganStep = normalGpAlpha ? Steps.withNormalGpAlpha(spec.trainStep()) : spec.trainStep();
      this.trainStep = this.replication == null ? TrainStep.of(ganStep.build(this), random)
          : ReplicatedStep.build(this, ganStep, this.replication);

      List<Op> inits = new ArrayList<>();
      inits.addAll(networks.generator().initOps());
      inits.addAll(networks.discriminator().initOps());
      inits.addAll(generatorOptimizer.initOps());
      inits.addAll(discriminatorOptimizer.initOps());
      this.initOp = tf.withControlDependencies(inits).withName("init_all").noOp();

      Map<String, Trackable> roots = new LinkedHashMap<>();
      roots.put(GENERATOR, networks.generator());
      roots.put(DISCRIMINATOR, networks.discriminator());
      roots.put(GENERATOR_OPTIMIZER, generatorOptimizer);
      roots.put(DISCRIMINATOR_OPTIMIZER, discriminatorOptimizer);
      this.checkpoint = new Checkpoint(tf, roots, SavedRun.INTEGER_KEYS, SavedRun.TEXT_KEYS);
      buildFiniteCheck();
      this.startCheck = this.replication != null && this.replication.multiWorker() ? buildStartCheck() : null;
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** For every saved float variable (weights, BatchNorm statistics, optimizer slots): whether all of it is finite. */
  private void buildFiniteCheck() {
    Ops f = tf.withSubScope("all_finite");
    floatVariables(f).forEach((description, v) -> {
      checkedVariables.add(description);
      allFinite.add(f.reduceAll(f.math.isFinite(v), f.range(f.constant(0), f.rank(v), f.constant(1))));
    });
  }

  /** A read in {@code ops} of every saved float variable (weights, BatchNorm statistics, optimizer slots), by description, in save order. */
  private Map<String, Operand<TFloating>> floatVariables(Ops ops) {
    Map<String, Operand<TFloating>> reads = new LinkedHashMap<>();
    for (ObjectGraph.Owned o : checkpoint.objectGraph().owned()) {
      if (TFloating.class.isAssignableFrom(o.variable().type())) {
        @SuppressWarnings("unchecked")
        Operand<TFloating> v = (Operand<TFloating>) o.variable().variable().read(ops);
        reads.put(o.variable().description(), v);
      }
    }
    return reads;
  }

  private StartCheck buildStartCheck() {
    return StartCheck.build(tf, cluster, replication.device(0), START_FACTS, new ArrayList<>(floatVariables(tf).values()),
        replication.timeoutSeconds());
  }

  private static final List<String> START_FACTS = List.of("global step", "epoch", "step in epoch", "seed", "batch size",
      "epochs", "steps per epoch", "step limit");

  /**
   * In a multi-worker run, checks that every worker starts training from the same state as the
   * chief (see {@link StartCheck}), each calling it at {@code progress}, and will train to the same
   * end ({@code schedule}: a worker that ended first would leave the others waiting); nothing in
   * one process.
   */
  public void verifySameStart(Session session, Progress progress, Schedule schedule) {
    if (startCheck != null) {
      startCheck.verify(session, new double[] {progress.globalStep(), progress.epoch(), progress.stepInEpoch(),
          seed % (1L << 52), batchSize, schedule.epochs(), schedule.stepsPerEpoch(), schedule.maxSteps()});
    }
  }

  /**
   * The train step unrolled {@code k} times into one session run ({@link MultiStep}), built on first
   * use and kept: build it before opening the session that runs it. Fails with an
   * IllegalArgumentException naming the reason when this step cannot be unrolled (WGAN-GP runs its
   * critic phase several times per step).
   */
  public synchronized MultiStep multiStep(int k) {
    if (k < 2) {
      throw new IllegalArgumentException("expected at least 2 steps per session run to unroll, got " + k);
    }
    MultiStep built = multiSteps.get(k);
    if (built == null) {
      built = buildMultiStep(k);
      multiSteps.put(k, built);
    }
    return built;
  }

  private MultiStep buildMultiStep(int k) {
    if (replication != null) {
      // Each copy would need its own towers and all-reduce instance keys; not built (yet).
      throw new IllegalArgumentException(spec().name() + ": cannot run several steps per session run of a step "
          + "replicated on " + replication.totalReplicas() + " devices; expected 1 step per run");
    }
    String unsupported = MultiStep.unsupported(trainStep);
    if (unsupported != null) {
      throw new IllegalArgumentException(spec().name() + ": cannot run several steps per session run: " + unsupported);
    }
    Ops m = tf.withSubScope("steps_per_run_" + k);
    Placeholder<TInt64> first = m.withName("first_step")
        .placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt64> substep = m.withName("substep").constant(trainStep.phases().get(0).substep());
    List<TrainStep> copies = new ArrayList<>();
    Op previous = null;
    for (int j = 0; j < k; j++) {
      Operand<TInt64> step = m.withName("step_" + j).math.add(first, m.constant((long) j));
      // Copy j's reads of the variables run after copy j - 1's last update (see trainingPass).
      StepScope copyScope = new StepScope(m.withSubScope("copy_" + j), random.copyFor(step, substep, firstStepStream),
          batchSize, null, true, previous);
      TrainStep copy = buildIn(copyScope, () -> TrainStep.of(ganStep.build(this), random()));
      copies.add(copy);
      previous = copy.phases().get(copy.phases().size() - 1).update();
    }
    return new MultiStep(copies, first);
  }

  /**
   * A training-mode network pass for the step under construction (see {@link CallContext}). In a
   * copy unrolled into one session run ({@link #multiStep}), its reads of the variables wait for
   * the update before it (the previous phase's, see {@link #phaseBuilt}, or the previous copy's);
   * built for one phase per session run it needs no such order, the runs being in order. In a
   * tower of a replicated step ({@link ReplicatedStep}), one that shares BatchNorm statistics with
   * the other replicas as the replication says (a replicated step is never unrolled: see
   * {@link #multiStep}).
   */
  @Override
  public CallContext trainingPass() {
    if (scope.tower != null) {
      return CallContext.training(scope.random, scope.tower.crossReplica());
    }
    return CallContext.training(scope.random, scope.readsAfter());
  }

  /** An inference-mode network pass for the step under construction, ordered as {@link #trainingPass}. */
  @Override
  public CallContext inferencePass() {
    return CallContext.inference(scope.readsAfter());
  }

  /**
   * Marks the end of a phase of the step under construction: the passes created after it read the
   * variables after {@code update} when the step is an unrolled copy (nothing changes otherwise).
   */
  @Override
  public void phaseBuilt(Op update) {
    if (scope.unrolled) {
      scope.barrier = update;
    }
  }

  /**
   * A session on this graph, on the GPU when {@code gpu}, else with GPUs hidden; among worker
   * processes, on this process's TensorFlow server (see {@link Sessions}).
   */
  public Session openSession(int threads, boolean gpu) {
    return Sessions.open(graph, threads, gpu, replication == null ? 1 : replication.cpuDevices(), cluster);
  }

  /** Builds one tower of a replicated step: the step factory sees {@code tower}'s ops, batch and optimizers. */
  <R> R inTower(ReplicatedStep.TowerScope tower, Supplier<R> build) {
    RandomSource towerRandom = random.copyFor(random.step(), random.substep(), tower.firstStream());
    R built = buildIn(new StepScope(tower.tf(), towerRandom, tower.batchSize(), tower, false, null), build);
    if (towerRandom.peekStream() > tower.firstStream() + ReplicatedStep.STREAMS_PER_REPLICA) {
      throw new IllegalStateException("a tower took " + (towerRandom.peekStream() - tower.firstStream())
          + " random streams; expected at most " + ReplicatedStep.STREAMS_PER_REPLICA);
    }
    return built;
  }

  /** Runs {@code build} with {@code inner} as the scope step factories see, then restores the graph's own. */
  private <R> R buildIn(StepScope inner, Supplier<R> build) {
    StepScope outer = scope;
    scope = inner;
    try {
      return build.get();
    } finally {
      scope = outer;
    }
  }

  /** Gives every variable its seeded initial value (a fresh run). */
  public void initialize(Session session) {
    session.run(initOp);
  }

  /** Writes a checkpoint of the four objects with the run's progress and configuration. */
  public void save(Session session, Path prefix, long saveCounter, Progress progress, String configJson) {
    checkpoint.save(session, prefix, saveCounter, SavedRun.integers(progress), Map.of(SavedRun.CONFIG, configJson));
  }

  /** Restores {@code roots} (e.g. {@link #ALL}) strictly from {@code prefix}; returns what else it holds. */
  public SavedRun restore(Session session, Path prefix, Set<String> roots) {
    List<String> ordered = new ArrayList<>();
    for (String r : List.of(GENERATOR, DISCRIMINATOR, GENERATOR_OPTIMIZER, DISCRIMINATOR_OPTIMIZER)) {
      if (roots.contains(r)) {
        ordered.add(r);
      }
    }
    return SavedRun.of(checkpoint.restore(session, prefix, new java.util.LinkedHashSet<>(ordered)));
  }

  /**
   * The description of every saved float variable (weights, BatchNorm statistics, optimizer
   * slots) that holds a NaN or an infinity, in save order; empty when all are finite.
   */
  public List<String> nonFiniteVariables(Session session) {
    Session.Runner runner = session.runner();
    allFinite.forEach(runner::fetch);
    List<String> bad = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < checkedVariables.size(); i++) {
        if (!((TBool) r.get(i)).getBoolean()) {
          bad.add(checkedVariables.get(i));
        }
      }
    }
    return bad;
  }

  public GanSpec spec() { return networks.spec(); }
  @Override public Shape imageShape() { return networks.spec().imageShape(); }

  @Override
  public Operand<T> latents(Ops ops, Operand<TInt64> count) {
    return networks.latentNoise(ops, count, scope.random.key(ops, scope.random.newStream()));
  }

  @Override
  public Operand<T> generate(Ops ops, Operand<T> latents, Operand<T> labels, CallContext pass) {
    return networks.generate(ops, latents, labels, pass);
  }

  @Override
  public Operand<T> discriminate(Ops ops, Operand<T> images, Operand<T> labels, CallContext pass) {
    return networks.discriminate(ops, images, labels, pass);
  }
  public long seed() { return seed; }
  /** Examples per training step; while a tower of a replicated step is built, that replica's share. */
  @Override public int batchSize() { return scope.batchSize; }
  /** How the train step is replicated, or null for one device. */
  public Replication replication() { return replication; }
  /** Classes of a conditional GAN; 0 when unconditional. */
  @Override public int classes() { return networks.classes(); }
  /** Whether WGAN-GP alphas are drawn from N(0, 1) (seed 003's bug, kept for parity) rather than U(0, 1). */
  public boolean normalGpAlpha() { return normalGpAlpha; }
  @Override public Class<T> dtype() { return networks.dtype(); }
  public Graph graph() { return graph; }
  /** Where ops are built; while a tower of a replicated step or an unrolled copy of the step is built, its scope. */
  @Override public Ops tf() { return scope.tf; }
  /** The graph's own scope, whatever step is being built. */
  public Ops graphOps() { return tf; }
  /** The random source keyed on the fed step; while an unrolled copy is built, the copy's. */
  @Override public RandomSource random() { return scope.random; }
  public GanNetworks<T> networks() { return networks; }
  /** G's optimizer; while a tower is built, one that all-reduces the tower's gradients before updating. */
  @Override public Optimizer<T> generatorOptimizer() { return optimizerInScope(generatorOptimizer); }
  /** D's optimizer; while a tower is built, one that all-reduces the tower's gradients before updating. */
  @Override public Optimizer<T> discriminatorOptimizer() {
    return optimizerInScope(discriminatorOptimizer);
  }

  private Optimizer<T> optimizerInScope(Optimizer<T> shared) {
    return scope.tower != null ? scope.tower.optimizer(shared) : shared;
  }
  public Inference<T> inference() { return inference; }
  public TrainStep trainStep() { return trainStep; }
  public Checkpoint checkpoint() { return checkpoint; }

  @Override
  public void close() {
    graph.close();
  }
}
