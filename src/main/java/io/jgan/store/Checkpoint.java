package io.jgan.store;

import io.jgan.BadInputException;
import io.jgan.nn.Trackable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow 2 object-based checkpoint of named objects, as Python's
 * {@code tf.train.Checkpoint(generator=..., generator_optimizer=..., ...)} writes and reads it:
 * every variable the objects own under the key its {@link ObjectGraph} path gives, the object
 * graph itself, {@code save_counter}, and named metadata (int64 and string values under keys the
 * caller chooses, which Python ignores).
 *
 * <p>Restoring follows each variable's path through the checkpoint's own object graph to find its
 * key (as Python does), so checkpoints written by Python, whose keys depend on which objects
 * existed when they were saved, restore too. A restore is strict for the roots asked for: every
 * variable present with the same shape and type, nothing unexpected under those roots; values are
 * read and checked before any variable is assigned, so a failed restore leaves the session as it
 * was, and the error names each problem (and the damaged file, when the file is the problem).
 */
public final class Checkpoint {
  /** The root child holding the number of saves, as {@code tf.train.Checkpoint} keeps it. */
  public static final String SAVE_COUNTER = "save_counter";

  private final ObjectGraph graph;
  private final byte[] objectGraphBytes;
  private final List<String> integerKeys;
  private final List<String> textKeys;
  private final List<String> keys = new ArrayList<>();
  private final List<Class<? extends TType>> keyTypes = new ArrayList<>();
  private final Placeholder<TString> savePrefix;
  private final Placeholder<TInt64> saveCounter;
  private final Placeholder<TString> objectGraphInput;
  private final List<Placeholder<TInt64>> integerInputs = new ArrayList<>();
  private final List<Placeholder<TString>> textInputs = new ArrayList<>();
  private final Op saveOp;
  private final Map<String, RootRestore> restores = new LinkedHashMap<>();

  /**
   * @param roots the named objects, e.g. {@code generator}, {@code discriminator}, {@code generator_optimizer}
   * @param integerKeys int64 metadata saved with every checkpoint, e.g. {@code _jgan/global_step}
   * @param textKeys string metadata saved with every checkpoint
   */
  public Checkpoint(Ops ops, Map<String, Trackable> roots, List<String> integerKeys, List<String> textKeys) {
    Object saveCounterValue = new Object();
    this.graph = new ObjectGraph(roots, Map.of(SAVE_COUNTER, saveCounterValue));
    this.objectGraphBytes = graph.proto().toByteArray();
    this.integerKeys = List.copyOf(integerKeys);
    this.textKeys = List.copyOf(textKeys);

    Ops tf = ops.withSubScope("checkpoint");
    savePrefix = tf.withName("prefix").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    saveCounter = tf.withName(SAVE_COUNTER).placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    objectGraphInput = tf.withName("object_graph").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    List<Operand<?>> tensors = new ArrayList<>();
    for (ObjectGraph.Owned o : graph.owned()) {
      add(graph.key(o.variable().variable()), o.variable().type(), o.variable().variable().read(tf), tensors);
    }
    add(graph.key(saveCounterValue), TInt64.class, saveCounter, tensors);
    add(CheckpointHeader.OBJECT_GRAPH_KEY, TString.class, objectGraphInput, tensors);
    for (String key : integerKeys) {
      Placeholder<TInt64> p = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      integerInputs.add(p);
      add(key, TInt64.class, p, tensors);
    }
    for (String key : textKeys) {
      Placeholder<TString> p = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      textInputs.add(p);
      add(key, TString.class, p, tensors);
    }
    saveOp = tf.train.save(savePrefix, tf.constant(StandardCharsets.UTF_8, keys.toArray(String[]::new)),
        emptySlices(tf, keys.size()), tensors);
    for (String root : roots.keySet()) {
      restores.put(root, new RootRestore(tf, root));
    }
  }

  private void add(String key, Class<? extends TType> type, Operand<?> tensor, List<Operand<?>> tensors) {
    keys.add(key);
    keyTypes.add(type);
    tensors.add(tensor);
  }

  private static Operand<TString> emptySlices(Ops tf, int n) {
    String[] empty = new String[n];
    Arrays.fill(empty, "");
    return tf.constant(StandardCharsets.UTF_8, empty);
  }

  /** The object graph (keys of each value, owned values by root). */
  public ObjectGraph objectGraph() {
    return graph;
  }

  /** The checkpoint keys, in save order. */
  public List<String> keys() {
    return List.copyOf(keys);
  }

  /** The type of each of {@link #keys()}, in the same order. */
  public List<Class<? extends TType>> keyTypes() {
    return List.copyOf(keyTypes);
  }

  /**
   * Writes every variable, the object graph, {@code saveCounterValue} and the metadata (a value
   * for every key given at construction) to {@code prefix.index} and {@code prefix.data-00000-of-00001}.
   */
  public void save(Session session, Path prefix, long saveCounterValue, Map<String, Long> integers,
      Map<String, String> texts) {
    List<Tensor> opened = new ArrayList<>();
    try {
      Session.Runner runner = session.runner()
          .feed(savePrefix, keep(opened, TString.scalarOf(prefix.toString())))
          .feed(saveCounter, keep(opened, TInt64.scalarOf(saveCounterValue)))
          .feed(objectGraphInput, keep(opened, TString.tensorOfBytes(NdArrays.scalarOfObject(objectGraphBytes))));
      for (int i = 0; i < integerKeys.size(); i++) {
        Long v = integers.get(integerKeys.get(i));
        if (v == null) {
          throw new IllegalArgumentException("expected a value for " + integerKeys.get(i) + ", got none");
        }
        runner.feed(integerInputs.get(i), keep(opened, TInt64.scalarOf(v)));
      }
      for (int i = 0; i < textKeys.size(); i++) {
        String v = texts.get(textKeys.get(i));
        if (v == null) {
          throw new IllegalArgumentException("expected a value for " + textKeys.get(i) + ", got none");
        }
        runner.feed(textInputs.get(i), keep(opened, TString.scalarOf(v)));
      }
      runner.addTarget(saveOp).run();
    } finally {
      opened.forEach(Tensor::close);
    }
  }

  private static <T extends Tensor> T keep(List<Tensor> opened, T tensor) {
    opened.add(tensor);
    return tensor;
  }

  /**
   * Restores the variables of {@code roots} (a subset of the construction's) from {@code prefix},
   * strictly (see the class comment); returns the checkpoint's header.
   */
  public CheckpointHeader restore(Session session, Path prefix, Set<String> roots) {
    CheckpointHeader header = CheckpointHeader.read(prefix, integerKeys, textKeys);
    List<String> problems = new ArrayList<>();
    Map<String, List<String>> resolved = new LinkedHashMap<>();
    Set<String> expected = new HashSet<>();
    for (String root : roots) {
      RootRestore restore = restores.get(root);
      if (restore == null) {
        throw new IllegalArgumentException("expected one of " + restores.keySet() + ", got " + root);
      }
      List<String> rootKeys = new ArrayList<>();
      for (ObjectGraph.Owned o : restore.owned) {
        String key = ObjectGraph.resolve(header.objectGraph(), o.path());
        if (key == null) {
          problems.add("missing " + o.variable().description() + " (expected at " + String.join("/", o.path()) + ")");
        }
        rootKeys.add(key);
        expected.add(key);
      }
      for (List<String> link : graph.linkPaths(root)) {
        expected.add(ObjectGraph.resolve(header.objectGraph(), link));
      }
      resolved.put(root, rootKeys);
    }
    for (String root : roots) {
      for (String key : ObjectGraph.valueKeysUnder(header.objectGraph(), root)) {
        if (!expected.contains(key)) {
          problems.add("unexpected value " + key + " under " + root + " (the checkpoint's model differs from this preset's)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new BadInputException(prefix + ": cannot restore " + roots + ": " + String.join("; ", problems));
    }
    // Read everything first, check it, then assign: a bad checkpoint leaves the variables as they were.
    List<Result> reads = new ArrayList<>();
    try {
      for (String root : roots) {
        reads.add(restores.get(root).read(session, prefix, resolved.get(root), problems));
      }
      if (!problems.isEmpty()) {
        throw new BadInputException(prefix + ": cannot restore " + roots + ": " + String.join("; ", problems));
      }
      int i = 0;
      for (String root : roots) {
        restores.get(root).assign(session, reads.get(i++));
      }
    } finally {
      reads.forEach(Result::close);
    }
    return header;
  }

  /** RestoreV2 of one root's variables (keys fed at run time) and the assigns that take its outputs. */
  private final class RootRestore {
    private final List<ObjectGraph.Owned> owned = new ArrayList<>();
    private final Placeholder<TString> prefix;
    private final Placeholder<TString> names;
    private final Restore restore;
    private final Op assignAll;

    RootRestore(Ops tf, String root) {
      graph.owned().stream().filter(o -> o.root().equals(root)).forEach(owned::add);
      Ops s = tf.withSubScope("restore_" + root);
      prefix = s.withName("prefix").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      names = s.withName("names").placeholder(TString.class, Placeholder.shape(Shape.of(owned.size())));
      List<Class<? extends TType>> types = owned.stream().<Class<? extends TType>>map(o -> o.variable().type()).toList();
      restore = s.train.restore(prefix, names, emptySlices(s, owned.size()), types);
      List<Op> assigns = new ArrayList<>();
      for (int i = 0; i < owned.size(); i++) {
        assigns.add(owned.get(i).variable().variable().assign(s, restore.tensors().get(i)));
      }
      assignAll = s.withControlDependencies(assigns).withName("assign_all").noOp();
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
        throw RestoreErrors.describe(prefixPath, e);
      }
      for (int i = 0; i < owned.size(); i++) {
        Shape found = result.get(i).shape();
        Shape expected = owned.get(i).variable().shape();
        if (!found.equals(expected)) {
          problems.add(owned.get(i).variable().description() + " (" + keys.get(i) + "): expected shape " + expected
              + ", got " + found);
        }
      }
      return result;
    }

    void assign(Session session, Result values) {
      Session.Runner runner = session.runner();
      for (int i = 0; i < owned.size(); i++) {
        runner.feed(restore.tensors().get(i), values.get(i));
      }
      runner.addTarget(assignAll).run();
    }
  }
}
