package io.jgan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.SavedVariable;
import io.jgan.nn.Trackable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The checkpoint store on its own, with plain {@link Trackable}s (no network, no optimizer): keys
 * are first breadth-first paths, a linked variable is saved once, metadata round-trips, a restore
 * is strict for the roots asked and leaves the others alone.
 */
class CheckpointTest {
  @TempDir Path dir;

  /** Root "a" owns x [2] and inner/y; root "b" lists a's x again (a link) and owns "z.w" (a name to escape). */
  private record TwoRoots(Graph graph, Ops tf, ResourceVariable<TFloat32> x, ResourceVariable<TInt64> y, ResourceVariable<TFloat32> z,
      Checkpoint checkpoint) implements AutoCloseable {
    static TwoRoots build(boolean extraInA) {
      Graph g = new Graph();
      Ops tf = Ops.create(g);
      ResourceVariable<TFloat32> x = ResourceVariable.create(tf.withName("x"), "x", TFloat32.class, Shape.of(2));
      ResourceVariable<TInt64> y = ResourceVariable.create(tf.withName("y"), "y", TInt64.class, Shape.scalar());
      ResourceVariable<TFloat32> z = ResourceVariable.create(tf.withName("z"), "z", TFloat32.class, Shape.scalar());
      ResourceVariable<TFloat32> extra = ResourceVariable.create(tf.withName("extra"), "extra", TFloat32.class, Shape.scalar());
      SavedVariable sx = new SavedVariable("x", x, Shape.of(2));
      Map<String, Trackable> roots = new LinkedHashMap<>();
      roots.put("a", c -> {
        c.variable("x", sx);
        c.object("inner", i -> i.variable("y", new SavedVariable("y", y, Shape.scalar())));
        if (extraInA) {
          c.variable("extra", new SavedVariable("extra", extra, Shape.scalar()));
        }
      });
      roots.put("b", c -> {
        c.link("0", sx);
        c.variable("z.w", new SavedVariable("z", z, Shape.scalar()));
      });
      return new TwoRoots(g, tf, x, y, z, new Checkpoint(tf, roots, List.of("_meta/step"), List.of("_meta/note")));
    }

    void set(Session s, float x0, float x1, long yValue, float zValue) {
      s.runner().addTarget(x.assign(tf, tf.constant(new float[] {x0, x1})))
          .addTarget(y.assign(tf, tf.constant(yValue))).addTarget(z.assign(tf, tf.constant(zValue))).run();
    }

    String values(Session s) {
      try (Result r = s.runner().fetch(x.read(tf)).fetch(y.read(tf)).fetch(z.read(tf)).run()) {
        TFloat32 xs = (TFloat32) r.get(0);
        return xs.getFloat(0) + "," + xs.getFloat(1) + "," + ((TInt64) r.get(1)).getLong() + "," + ((TFloat32) r.get(2)).getFloat();
      }
    }

    @Override
    public void close() {
      graph.close();
    }
  }

  @Test
  void keysAreFirstBreadthFirstPathsAndALinkedVariableIsSavedOnce() {
    try (TwoRoots o = TwoRoots.build(false)) {
      assertEquals(List.of("a/x/.ATTRIBUTES/VARIABLE_VALUE", "a/inner/y/.ATTRIBUTES/VARIABLE_VALUE",
          "b/z..w/.ATTRIBUTES/VARIABLE_VALUE", "save_counter/.ATTRIBUTES/VARIABLE_VALUE", "_CHECKPOINTABLE_OBJECT_GRAPH",
          "_meta/step", "_meta/note"), o.checkpoint().keys());
      // b's link "0" reaches the same node as a/x: one value, found from either path.
      var proto = o.checkpoint().objectGraph().proto();
      assertEquals("a/x/.ATTRIBUTES/VARIABLE_VALUE", ObjectGraph.resolve(proto, List.of("b", "0")));
      assertEquals("a/x/.ATTRIBUTES/VARIABLE_VALUE", ObjectGraph.resolve(proto, List.of("a", "x")));
    }
  }

  @Test
  void savedValuesAndMetadataComeBackInAFreshGraph() {
    Path prefix = dir.resolve("ckpt-1");
    try (TwoRoots o = TwoRoots.build(false); Session s = new Session(o.graph())) {
      o.set(s, 1.5f, -2f, 7, 0.25f);
      o.checkpoint().save(s, prefix, 3, Map.of("_meta/step", 42L), Map.of("_meta/note", "hello"));
    }
    try (TwoRoots o = TwoRoots.build(false); Session s = new Session(o.graph())) {
      o.set(s, 0, 0, 0, 0);
      CheckpointHeader h = o.checkpoint().restore(s, prefix, new java.util.LinkedHashSet<>(List.of("a", "b")));
      assertEquals("1.5,-2.0,7,0.25", o.values(s));
      assertEquals(3, h.saveCounter());
      assertEquals(Map.of("_meta/step", 42L), h.integers());
      assertEquals(Map.of("_meta/note", "hello"), h.texts());
      assertEquals(h.texts(), CheckpointHeader.read(prefix, List.of("_meta/step"), List.of("_meta/note", "_meta/absent")).texts());
    }
  }

  /** A checkpoint of x = [1, 2], y = 3, z = 4. */
  private Path saveOneTwoThreeFour() {
    Path prefix = dir.resolve("ckpt-1");
    try (TwoRoots o = TwoRoots.build(false); Session s = new Session(o.graph())) {
      o.set(s, 1, 2, 3, 4);
      o.checkpoint().save(s, prefix, 1, Map.of("_meta/step", 0L), Map.of("_meta/note", ""));
    }
    return prefix;
  }

  @Test
  void restoringOneRootLeavesTheOthersAlone() {
    Path prefix = saveOneTwoThreeFour();
    try (TwoRoots o = TwoRoots.build(false); Session s = new Session(o.graph())) {
      o.set(s, 9, 9, 9, 9);
      o.checkpoint().restore(s, prefix, Set.of("b")); // owns z only; its link to a/x is not restored
      assertEquals("9.0,9.0,9,4.0", o.values(s));
    }
  }

  @Test
  void aVariableTheCheckpointLacksIsNamedAndNothingChanges() {
    Path prefix = saveOneTwoThreeFour();
    try (TwoRoots o = TwoRoots.build(true); Session s = new Session(o.graph())) {
      o.set(s, 9, 9, 9, 9);
      BadInputException e = assertThrows(BadInputException.class,
          () -> o.checkpoint().restore(s, prefix, new java.util.LinkedHashSet<>(List.of("a", "b"))));
      assertEquals(prefix + ": cannot restore [a, b]: missing extra (expected at a/extra)", e.getMessage());
      assertEquals("9.0,9.0,9,9.0", o.values(s));
    }
    BadInputException absent = assertThrows(BadInputException.class,
        () -> CheckpointHeader.read(dir.resolve("absent"), List.of(), List.of()));
    assertTrue(absent.getMessage().contains(dir.resolve("absent").toString()), absent.getMessage());
  }
}
