package io.jgan.store;

import io.jgan.BadInputException;
import io.jgan.nn.KerasLayout;
import io.jgan.nn.Sequential;
import io.jgan.nn.Weight;
import io.jgan.train.Adam;
import io.jgan.train.GanGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * Saves and restores a GAN as a TensorFlow 2 object-based checkpoint that Python's
 * {@code tf.train.Checkpoint(generator=..., discriminator=..., generator_optimizer=...,
 * discriminator_optimizer=...)} reads, as in the DCGAN tutorial.
 *
 * <p>The object tree mirrors Keras 3: a Sequential model's layer {@code i} is
 * {@code <model>/_functional/_operations/<i + 1>} (index 0 is the InputLayer; functional models
 * differ, see {@link io.jgan.nn.KerasLayout}), holding
 * {@code _kernel} (Dense, Conv2D) or {@code kernel} (Conv2DTranspose), {@code bias}, {@code gamma}, {@code beta},
 * {@code moving_mean}, {@code moving_variance}; an Adam is {@code _iterations},
 * {@code _learning_rate}, {@code _variables/<k>} (iterations, learning rate, then m and v of each
 * weight), {@code _trainable_variables/<j>} (the model's weights again), {@code _momentums/<j>} and
 * {@code _velocities/<j>}; the root also holds {@code save_counter}.
 *
 * <p>Restoring follows each variable's path through the checkpoint's own object graph to find its
 * key (as Python does), so checkpoints written by Python, whose keys depend on which objects
 * existed when they were saved, restore too. Values are read and checked (shape, type, presence)
 * before any variable is assigned: a failed restore leaves the session untouched.
 *
 * <p>Beside the object graph the file holds this project's training progress under
 * {@code _jgan/...} keys, which Python ignores.
 */
public final class GanCheckpoint {
  /** The key of the serialized object graph, as TensorFlow names it. */
  public static final String OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";
  static final String GLOBAL_STEP_KEY = "_jgan/global_step";
  static final String EPOCH_KEY = "_jgan/epoch";
  static final String STEP_IN_EPOCH_KEY = "_jgan/step_in_epoch";
  static final String CONFIG_KEY = "_jgan/config";

  /** What a restore brings back. */
  public enum Part { GENERATOR, DISCRIMINATOR, GENERATOR_OPTIMIZER, DISCRIMINATOR_OPTIMIZER }

  /** Everything: resuming training. */
  public static final Set<Part> ALL = EnumSet.allOf(Part.class);
  /** Both networks without optimizer state: {@code generate}. */
  public static final Set<Part> NETWORKS = EnumSet.of(Part.GENERATOR, Part.DISCRIMINATOR);

  /** Where a run stands, saved with its weights so that training resumes exactly. */
  public record Progress(long globalStep, long epoch, long stepInEpoch) {
    public static final Progress START = new Progress(0, 0, 0);
  }

  /** One saved variable: its path in the object tree, the variable and its type. */
  private record Entry(Part part, List<String> path, String description, Variable<? extends TType> variable,
      Class<? extends TType> type, Shape shape) {}

  private final List<Entry> entries = new ArrayList<>();
  private final byte[] objectGraph;
  private final List<String> keys = new ArrayList<>();
  private final Placeholder<TString> savePrefix;
  private final Placeholder<TInt64> saveCounter;
  private final Placeholder<TInt64> globalStep;
  private final Placeholder<TInt64> epoch;
  private final Placeholder<TInt64> stepInEpoch;
  private final Placeholder<TString> config;
  private final Placeholder<TString> objectGraphInput;
  private final Op saveOp;
  private final Map<Part, PartRestore> restores = new LinkedHashMap<>();
  private final SingleRead readString;
  private final SingleRead readInt64;
  /** For each float variable in {@link #entries}: whether every element is finite. */
  private final List<Entry> checkedEntries = new ArrayList<>();
  private final List<Operand<TBool>> allFinite = new ArrayList<>();

  public GanCheckpoint(GanGraph<?> g) {
    TrackableGraph tree = new TrackableGraph();
    addModel(tree, Part.GENERATOR, "generator", g.generator());
    addModel(tree, Part.DISCRIMINATOR, "discriminator", g.discriminator());
    addOptimizer(tree, Part.GENERATOR_OPTIMIZER, "generator_optimizer", g.generatorOptimizer());
    addOptimizer(tree, Part.DISCRIMINATOR_OPTIMIZER, "discriminator_optimizer", g.discriminatorOptimizer());
    Object saveCounterValue = new Object();
    tree.root().child("save_counter").holds(saveCounterValue, "save_counter");
    sortRootChildren(tree);
    TrackableGraph.Built built = tree.build();
    objectGraph = built.proto().toByteArray();

    Ops tf = g.tf().withSubScope("checkpoint");
    savePrefix = tf.withName("prefix").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    saveCounter = scalarInt64(tf, "save_counter");
    globalStep = scalarInt64(tf, "global_step");
    epoch = scalarInt64(tf, "epoch");
    stepInEpoch = scalarInt64(tf, "step_in_epoch");
    config = tf.withName("config").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    objectGraphInput = tf.withName("object_graph").placeholder(TString.class, Placeholder.shape(Shape.scalar()));

    List<Operand<?>> tensors = new ArrayList<>();
    for (Entry e : entries) {
      keys.add(built.keys().get(e));
      tensors.add(e.variable());
    }
    keys.add(built.keys().get(saveCounterValue));
    tensors.add(saveCounter);
    keys.add(OBJECT_GRAPH_KEY);
    tensors.add(objectGraphInput);
    keys.addAll(List.of(GLOBAL_STEP_KEY, EPOCH_KEY, STEP_IN_EPOCH_KEY, CONFIG_KEY));
    tensors.addAll(List.of(globalStep, epoch, stepInEpoch, config));
    saveOp = tf.train.save(savePrefix, tf.constant(java.nio.charset.StandardCharsets.UTF_8, keys.toArray(String[]::new)), emptySlices(tf, keys.size()), tensors);

    for (Part part : Part.values()) {
      restores.put(part, new PartRestore(tf, part));
    }
    readString = new SingleRead(tf, TString.class);
    readInt64 = new SingleRead(tf, TInt64.class);

    Ops f = tf.withSubScope("all_finite");
    for (Entry e : entries) {
      if (TFloating.class.isAssignableFrom(e.type())) {
        @SuppressWarnings("unchecked")
        Operand<TFloating> v = (Operand<TFloating>) e.variable();
        checkedEntries.add(e);
        allFinite.add(f.reduceAll(f.math.isFinite(v), f.range(f.constant(0), f.rank(v), f.constant(1))));
      }
    }
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
      for (int i = 0; i < checkedEntries.size(); i++) {
        if (!((TBool) r.get(i)).getBoolean()) {
          bad.add(checkedEntries.get(i).description());
        }
      }
    }
    return bad;
  }

  private static Operand<TString> emptySlices(Ops tf, int n) {
    String[] empty = new String[n];
    java.util.Arrays.fill(empty, "");
    return tf.constant(java.nio.charset.StandardCharsets.UTF_8, empty);
  }

  private static Placeholder<TInt64> scalarInt64(Ops tf, String name) {
    return tf.withName(name).placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
  }

  private void addModel(TrackableGraph tree, Part part, String name, Sequential model) {
    // The layer list's place and the index of our first layer in it depend on how the Keras
    // original was built (Sequential, Functional, Functional with a label input): KerasLayout.
    KerasLayout layout = model.kerasLayout();
    TrackableGraph.Node operations = tree.root().child(name);
    for (String step : layout.prefix()) {
      operations = operations.child(step);
    }
    for (int i = 0; i < model.layers().size(); i++) {
      String index = Integer.toString(layout.firstLayer() + i);
      TrackableGraph.Node layer = operations.child(index);
      for (Weight w : model.layers().get(i).weights()) {
        List<String> path = new ArrayList<>();
        path.add(name);
        path.addAll(layout.prefix());
        path.add(index);
        path.add(w.trackableName());
        Entry e = new Entry(part, path, w.path(), w.variable(), w.dtype(), w.shape());
        entries.add(e);
        layer.child(w.trackableName()).holds(e, w.path());
      }
    }
  }

  private void addOptimizer(TrackableGraph tree, Part part, String name, Adam<?> adam) {
    TrackableGraph.Node opt = tree.root().child(name);
    // Child order as Keras 3 lists them; it decides which path names a shared value.
    TrackableGraph.Node variables = opt.child("_variables");
    TrackableGraph.Node trainable = opt.child("_trainable_variables");
    TrackableGraph.Node iterations = opt.child("_iterations");
    TrackableGraph.Node learningRate = opt.child("_learning_rate");
    TrackableGraph.Node momentums = opt.child("_momentums");
    TrackableGraph.Node velocities = opt.child("_velocities");
    Entry it = new Entry(part, List.of(name, "_iterations"), name + "/iterations", adam.iterations(), TInt64.class, Shape.scalar());
    Entry lr = new Entry(part, List.of(name, "_learning_rate"), name + "/learning_rate", adam.learningRate(), adam.dtype(), Shape.scalar());
    entries.add(it);
    entries.add(lr);
    iterations.holds(it, name + "/iteration");
    learningRate.holds(lr, name + "/learning_rate");
    variables.link("0", iterations);
    variables.link("1", learningRate);
    List<Weight> weights = adam.weights();
    for (int j = 0; j < weights.size(); j++) {
      trainable.link(Integer.toString(j), findNode(tree, weights.get(j)));
      Weight w = weights.get(j);
      Entry m = new Entry(part, List.of(name, "_momentums", Integer.toString(j)), name + "/m/" + w.path(),
          adam.momentums().get(j), adam.dtype(), w.shape());
      Entry v = new Entry(part, List.of(name, "_velocities", Integer.toString(j)), name + "/v/" + w.path(),
          adam.velocities().get(j), adam.dtype(), w.shape());
      entries.add(m);
      entries.add(v);
      TrackableGraph.Node mNode = momentums.child(Integer.toString(j)).holds(m, m.description());
      TrackableGraph.Node vNode = velocities.child(Integer.toString(j)).holds(v, v.description());
      variables.link(Integer.toString(2 + 2 * j), mNode);
      variables.link(Integer.toString(3 + 2 * j), vNode);
    }
  }

  /** The node of a model weight (optimizers list the model's weights again). */
  private TrackableGraph.Node findNode(TrackableGraph tree, Weight w) {
    for (Entry e : entries) {
      if (e.variable() == w.variable()) {
        TrackableGraph.Node node = tree.root();
        for (String step : e.path()) {
          node = node.children().get(step);
        }
        return node;
      }
    }
    throw new IllegalStateException("optimizer weight " + w.path() + " is not in any model");
  }

  /** tf.train.Checkpoint lists its root children sorted by name. */
  private static void sortRootChildren(TrackableGraph tree) {
    var sorted = new java.util.TreeMap<>(tree.root().children());
    tree.root().children().clear();
    tree.root().children().putAll(sorted);
  }

  /** The type of each of {@link #keys()}, in the same order (for tests that rewrite checkpoints). */
  List<Class<? extends TType>> keyTypes() {
    List<Class<? extends TType>> types = new ArrayList<>();
    entries.forEach(e -> types.add(e.type()));
    types.add(TInt64.class); // save_counter
    types.add(TString.class); // object graph
    types.addAll(List.of(TInt64.class, TInt64.class, TInt64.class, TString.class)); // progress, config
    return types;
  }

  /** The checkpoint keys, in save order (for tests and {@code info}). */
  public List<String> keys() {
    return List.copyOf(keys);
  }

  /**
   * Writes every variable, the object graph, {@code saveCounter} and {@code progress} to
   * {@code prefix.index} and {@code prefix.data-00000-of-00001}.
   */
  public void save(Session session, Path prefix, long saveCounterValue, Progress progress, String configJson) {
    try (TString prefixT = TString.scalarOf(prefix.toString());
         TInt64 counterT = TInt64.scalarOf(saveCounterValue);
         TInt64 stepT = TInt64.scalarOf(progress.globalStep());
         TInt64 epochT = TInt64.scalarOf(progress.epoch());
         TInt64 inEpochT = TInt64.scalarOf(progress.stepInEpoch());
         TString configT = TString.scalarOf(configJson);
         TString graphT = TString.tensorOfBytes(NdArrays.scalarOfObject(objectGraph))) {
      session.runner()
          .feed(savePrefix, prefixT).feed(saveCounter, counterT).feed(globalStep, stepT)
          .feed(epoch, epochT).feed(stepInEpoch, inEpochT).feed(config, configT).feed(objectGraphInput, graphT)
          .addTarget(saveOp)
          .run();
    }
  }

  /** What a checkpoint file holds besides variables. */
  public record Header(TrackableObjectGraph objectGraph, Progress progress, String configJson, long saveCounter) {}

  /** Reads the object graph, progress and configuration of a checkpoint without touching variables. */
  public Header readHeader(Session session, Path prefix) {
    byte[] graphBytes = readString.bytes(session, prefix, OBJECT_GRAPH_KEY);
    if (graphBytes == null) {
      throw new BadInputException(prefix + ".index: expected a TensorFlow 2 object-based checkpoint holding "
          + OBJECT_GRAPH_KEY + ", got a checkpoint without it (a TF1 name-based checkpoint?)");
    }
    TrackableObjectGraph graph;
    try {
      graph = TrackableObjectGraph.parseFrom(graphBytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new BadInputException(prefix + ".index: the object graph is not a valid TrackableObjectGraph: " + e.getMessage(), e);
    }
    Long step = readInt64.int64(session, prefix, GLOBAL_STEP_KEY);
    Long ep = readInt64.int64(session, prefix, EPOCH_KEY);
    Long inEpoch = readInt64.int64(session, prefix, STEP_IN_EPOCH_KEY);
    byte[] cfg = readString.bytes(session, prefix, CONFIG_KEY);
    String counterKey = TrackableGraph.resolve(graph, List.of("save_counter"));
    Long counter = counterKey == null ? null : readInt64.int64(session, prefix, counterKey);
    Progress progress = new Progress(step == null ? 0 : step, ep == null ? 0 : ep, inEpoch == null ? 0 : inEpoch);
    return new Header(graph, progress,
        cfg == null ? null : new String(cfg, java.nio.charset.StandardCharsets.UTF_8), counter == null ? 0 : counter);
  }

  /**
   * Restores {@code parts} from {@code prefix}. Strict: every variable of those parts must be in
   * the checkpoint with the same shape and type, and the checkpoint must hold nothing under those
   * objects that we do not restore; otherwise a BadInputException names each problem and no
   * variable is changed.
   */
  public Header restore(Session session, Path prefix, Set<Part> parts) {
    Header header = readHeader(session, prefix);
    List<String> problems = new ArrayList<>();
    Map<Part, List<String>> resolved = new LinkedHashMap<>();
    java.util.Set<String> consumed = new java.util.HashSet<>();
    for (Part part : parts) {
      List<String> partKeys = new ArrayList<>();
      for (Entry e : entries) {
        if (e.part() != part) {
          continue;
        }
        String key = TrackableGraph.resolve(header.objectGraph(), e.path());
        if (key == null) {
          problems.add("missing " + e.description() + " (expected at " + String.join("/", e.path()) + ")");
        }
        partKeys.add(key);
        consumed.add(key);
      }
      resolved.put(part, partKeys);
    }
    for (Part part : parts) {
      String root = rootName(part);
      for (String key : valueKeysUnder(header.objectGraph(), root)) {
        if (!consumed.contains(key)) {
          problems.add("unexpected value " + key + " under " + root + " (the checkpoint's model differs from this preset's)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new BadInputException(prefix + ": cannot restore " + parts + ": " + String.join("; ", problems));
    }
    // Read everything first, check it, then assign: a bad checkpoint leaves the variables as they were.
    List<Result> reads = new ArrayList<>();
    try {
      for (Part part : parts) {
        reads.add(restores.get(part).read(session, prefix, resolved.get(part), problems));
      }
      if (!problems.isEmpty()) {
        throw new BadInputException(prefix + ": cannot restore " + parts + ": " + String.join("; ", problems));
      }
      int i = 0;
      for (Part part : parts) {
        restores.get(part).assign(session, reads.get(i++));
      }
    } finally {
      reads.forEach(r -> {
        if (r != null) {
          r.close();
        }
      });
    }
    return header;
  }

  private static String rootName(Part part) {
    return switch (part) {
      case GENERATOR -> "generator";
      case DISCRIMINATOR -> "discriminator";
      case GENERATOR_OPTIMIZER -> "generator_optimizer";
      case DISCRIMINATOR_OPTIMIZER -> "discriminator_optimizer";
    };
  }

  /** Every value key reachable from the root child {@code rootChild}. */
  private static List<String> valueKeysUnder(TrackableObjectGraph graph, String rootChild) {
    List<String> found = new ArrayList<>();
    Integer start = null;
    for (var ref : graph.getNodes(0).getChildrenList()) {
      if (ref.getLocalName().equals(rootChild)) {
        start = ref.getNodeId();
      }
    }
    if (start == null) {
      return found;
    }
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      int n = queue.poll();
      if (n < 0 || n >= graph.getNodesCount() || seen.get(n)) {
        continue;
      }
      seen.set(n);
      for (var attribute : graph.getNodes(n).getAttributesList()) {
        found.add(attribute.getCheckpointKey());
      }
      for (var ref : graph.getNodes(n).getChildrenList()) {
        queue.add(ref.getNodeId());
      }
    }
    return found;
  }

  /** RestoreV2 of one part's variables (keys fed at run time) and the assigns that take its outputs. */
  private final class PartRestore {
    private final List<Entry> partEntries = new ArrayList<>();
    private final Placeholder<TString> prefix;
    private final Placeholder<TString> names;
    private final Restore restore;
    private final Op assignAll;

    PartRestore(Ops tf, Part part) {
      entries.stream().filter(e -> e.part() == part).forEach(partEntries::add);
      Ops s = tf.withSubScope("restore_" + rootName(part));
      prefix = s.withName("prefix").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      names = s.withName("names").placeholder(TString.class, Placeholder.shape(Shape.of(partEntries.size())));
      List<Class<? extends TType>> types = partEntries.stream().<Class<? extends TType>>map(Entry::type).toList();
      restore = s.train.restore(prefix, names, emptySlices(s, partEntries.size()), types);
      List<Op> assigns = new ArrayList<>();
      for (int i = 0; i < partEntries.size(); i++) {
        assigns.add(assign(s, partEntries.get(i).variable(), restore.tensors().get(i)));
      }
      assignAll = s.withControlDependencies(assigns).withName("assign_all").noOp();
    }

    @SuppressWarnings("unchecked")
    private <T extends TType> Op assign(Ops s, Variable<T> variable, Operand<?> value) {
      return s.assign(variable, (Operand<T>) value);
    }

    /** Reads the values; appends a problem for each wrong shape. The caller closes the Result. */
    Result read(Session session, Path prefixPath, List<String> keys, List<String> problems) {
      Result result;
      try (TString prefixT = TString.scalarOf(prefixPath.toString());
           TString namesT = TString.tensorOf(NdArrays.vectorOfObjects(keys.toArray(String[]::new)))) {
        Session.Runner runner = session.runner().feed(prefix, prefixT).feed(names, namesT);
        restore.tensors().forEach(runner::fetch);
        result = runner.run();
      } catch (RuntimeException e) { // TensorFlowException, or TFInvalidArgumentException (an IllegalArgumentException)
        throw readFailure(prefixPath, e);
      }
      for (int i = 0; i < partEntries.size(); i++) {
        Shape found = result.get(i).shape();
        Shape expected = partEntries.get(i).shape();
        if (!found.equals(expected)) {
          problems.add(partEntries.get(i).description() + " (" + keys.get(i) + "): expected shape " + expected + ", got " + found);
        }
      }
      return result;
    }

    void assign(Session session, Result values) {
      Session.Runner runner = session.runner();
      for (int i = 0; i < partEntries.size(); i++) {
        runner.feed(restore.tensors().get(i), values.get(i));
      }
      runner.addTarget(assignAll).run();
    }
  }

  /** RestoreV2 of a single tensor of one type, name fed at run time; absent keys give null. */
  private static final class SingleRead {
    private final Placeholder<TString> prefix;
    private final Placeholder<TString> name;
    private final Restore restore;

    SingleRead(Ops tf, Class<? extends TType> type) {
      Ops s = tf.withSubScope("read_" + (type == TString.class ? "string" : "int64"));
      prefix = s.withName("prefix").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      name = s.withName("name").placeholder(TString.class, Placeholder.shape(Shape.of(1)));
      restore = s.train.restore(prefix, name, s.constant(java.nio.charset.StandardCharsets.UTF_8, new String[] {""}), List.of(type));
    }

    /** Runs the read; null if the key is absent. The caller reads the value before the Result closes. */
    private <R> R run(Session session, Path prefixPath, String key, java.util.function.Function<Tensor, R> read) {
      try (TString prefixT = TString.scalarOf(prefixPath.toString());
           TString nameT = TString.vectorOf(key);
           Result r = session.runner().feed(prefix, prefixT).feed(name, nameT).fetch(restore.tensors().get(0)).run()) {
        return read.apply(r.get(0));
      } catch (RuntimeException e) {
        if (firstLine(e).contains("not found in checkpoint")) {
          return null; // NOT_FOUND has no exception class of its own in TF Java 1.1.0
        }
        throw readFailure(prefixPath, e);
      }
    }

    byte[] bytes(Session session, Path prefixPath, String key) {
      return run(session, prefixPath, key, t -> ((TString) t).asBytes().getObject());
    }

    Long int64(Session session, Path prefixPath, String key) {
      return run(session, prefixPath, key, t -> ((TInt64) t).getLong());
    }
  }

  /**
   * A failed RestoreV2 as an error naming the damaged file: TensorFlow's messages name the prefix
   * or nothing, so the file is told from what went wrong (the index is an SSTable with block
   * checksums; the data file holds each tensor's bytes with a CRC32C).
   */
  static BadInputException readFailure(Path prefix, RuntimeException e) {
    String why = firstLine(e);
    String lower = why.toLowerCase(java.util.Locale.ROOT);
    String file;
    if (lower.contains("sstable") || lower.contains("block checksum") || lower.contains("corrupt")
        || lower.contains(".index")) {
      file = CheckpointManager.index(prefix) + ": expected a checkpoint index (SSTable) intact";
    } else if (lower.contains("checksum does not match") || lower.contains("read less bytes") || lower.contains("shard")
        || lower.contains("data-")) {
      file = CheckpointManager.data(prefix) + ": expected every tensor's bytes to match its CRC32C in the index";
    } else if (lower.contains("dtype")) {
      file = prefix + ": expected the types this model has";
    } else {
      file = CheckpointManager.index(prefix) + " / " + CheckpointManager.data(prefix) + ": expected a readable checkpoint";
    }
    return new BadInputException(file + ", got: " + why + " (cannot read the checkpoint)", e);
  }

  static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
