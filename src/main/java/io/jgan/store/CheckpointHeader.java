package io.jgan.store;

import io.jgan.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * What a checkpoint holds besides its variables: the object graph, {@code save_counter} and named
 * metadata (int64 and string values under keys of the caller's choosing, which Python ignores).
 * Read with a small graph of its own: no model is built to read a header.
 *
 * @param objectGraph the checkpoint's {@code _CHECKPOINTABLE_OBJECT_GRAPH}
 * @param saveCounter its {@code save_counter} (0 when absent)
 * @param integers the int64 metadata found, by key
 * @param texts the string metadata found, by key
 */
public record CheckpointHeader(TrackableObjectGraph objectGraph, long saveCounter, Map<String, Long> integers,
    Map<String, String> texts) {
  /** The key of the serialized object graph, as TensorFlow names it. */
  public static final String OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

  /**
   * Reads the header of the checkpoint at {@code prefix}; absent metadata keys are left out.
   *
   * @throws BadInputException naming the file when the checkpoint cannot be read or is not object-based
   */
  public static CheckpointHeader read(Path prefix, Collection<String> integerKeys, Collection<String> textKeys) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SingleRead strings = new SingleRead(tf, TString.class);
      SingleRead int64s = new SingleRead(tf, TInt64.class);
      byte[] graphBytes = strings.run(s, prefix, OBJECT_GRAPH_KEY, t -> ((TString) t).asBytes().getObject());
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
      Map<String, Long> integers = new LinkedHashMap<>();
      for (String key : integerKeys) {
        Long v = int64s.run(s, prefix, key, t -> ((TInt64) t).getLong());
        if (v != null) {
          integers.put(key, v);
        }
      }
      Map<String, String> texts = new LinkedHashMap<>();
      for (String key : textKeys) {
        byte[] v = strings.run(s, prefix, key, t -> ((TString) t).asBytes().getObject());
        if (v != null) {
          texts.put(key, new String(v, StandardCharsets.UTF_8));
        }
      }
      String counterKey = ObjectGraph.resolve(graph, List.of(Checkpoint.SAVE_COUNTER));
      Long counter = counterKey == null ? null : int64s.run(s, prefix, counterKey, t -> ((TInt64) t).getLong());
      return new CheckpointHeader(graph, counter == null ? 0 : counter, integers, texts);
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
      restore = s.train.restore(prefix, name, s.constant(StandardCharsets.UTF_8, new String[] {""}), List.of(type));
    }

    /** Runs the read; null if the key is absent. {@code read} takes the value before the Result closes. */
    <R> R run(Session session, Path prefixPath, String key, Function<Tensor, R> read) {
      try (TString prefixT = TString.scalarOf(prefixPath.toString());
           TString nameT = TString.vectorOf(key);
           Result r = session.runner().feed(prefix, prefixT).feed(name, nameT).fetch(restore.tensors().get(0)).run()) {
        return read.apply(r.get(0));
      } catch (RuntimeException e) {
        if (RestoreErrors.isMissingKey(e)) {
          return null;
        }
        throw RestoreErrors.describe(prefixPath, e);
      }
    }
  }
}
