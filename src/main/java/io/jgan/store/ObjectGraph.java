package io.jgan.store;

import io.jgan.nn.SavedVariable;
import io.jgan.nn.Trackable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;

/**
 * The object graph of a TensorFlow 2 object-based checkpoint ({@code TrackableObjectGraph}): the
 * tree of named objects that {@code tf.train.Checkpoint} walks to match saved values to Python
 * objects, built from named {@link Trackable} roots.
 *
 * <p>A value may be reachable under several names (Keras lists each model weight again in its
 * optimizer's {@code _trainable_variables}); it is one node with several parents. Each value's
 * checkpoint key is the first path to it in breadth-first order, escaped and suffixed with
 * {@code /.ATTRIBUTES/VARIABLE_VALUE}, as {@code tf.train.Checkpoint} names it, so a checkpoint
 * written here lists the same keys as one Python wrote for the same objects. The root's children
 * are sorted by name, as {@code tf.train.Checkpoint(**kwargs)} sorts its keyword arguments.
 */
public final class ObjectGraph {
  /** The attribute name of a variable's value. */
  public static final String VARIABLE_VALUE = "VARIABLE_VALUE";

  /** A value a root owns, at the path its owner reports (the path a restore follows). */
  public record Owned(String root, List<String> path, SavedVariable variable) {}

  private static final class Node {
    final Map<String, Node> children = new LinkedHashMap<>();
    Object value;
    String fullName;
  }

  private final Node root = new Node();
  /** Value nodes by the identity of their variable (or other value object). */
  private final Map<Object, Node> valueNodes = new IdentityHashMap<>();
  private final List<Owned> owned = new ArrayList<>();
  /** Each variable's position in the order the objects first mention it (as owner or by link). */
  private final Map<Object, Integer> firstMention = new IdentityHashMap<>();
  private final Map<String, List<List<String>>> linkPaths = new LinkedHashMap<>();
  private TrackableObjectGraph proto;
  private final Map<Object, String> keys = new IdentityHashMap<>();

  /**
   * @param roots the checkpoint's named objects, e.g. {@code generator}, {@code generator_optimizer};
   *     their owned values are listed in this order
   * @param fedValues extra values saved at the root by name (e.g. {@code save_counter}), identified
   *     by the given objects
   */
  public ObjectGraph(Map<String, Trackable> roots, Map<String, Object> fedValues) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    roots.forEach(sorted::put);
    fedValues.forEach(sorted::put);
    Map<String, Node> rootNodes = new LinkedHashMap<>();
    for (String name : sorted.keySet()) {
      Node n = fedValues.containsKey(name) ? valueNode(fedValues.get(name), name) : new Node();
      root.children.put(name, n);
      rootNodes.put(name, n);
    }
    roots.forEach((name, trackable) -> {
      linkPaths.put(name, new ArrayList<>());
      track(name, rootNodes.get(name), List.of(name), trackable);
    });
    owned.sort(java.util.Comparator.comparingInt(o -> firstMention.get(o.variable().variable())));
    build();
  }

  private Node valueNode(Object value, String fullName) {
    firstMention.putIfAbsent(value, firstMention.size());
    Node n = valueNodes.computeIfAbsent(value, v -> new Node());
    n.value = value;
    if (n.fullName == null) {
      n.fullName = fullName;
    }
    return n;
  }

  private void track(String rootName, Node node, List<String> path, Trackable trackable) {
    trackable.trackChildren(new Trackable.Children() {
      @Override
      public void object(String name, Trackable child) {
        Node c = node.children.computeIfAbsent(name, n -> new Node());
        track(rootName, c, append(path, name), child);
      }

      @Override
      public void variable(String name, SavedVariable variable) {
        put(node, name, valueNode(variable.variable(), variable.description()));
        owned.add(new Owned(rootName, append(path, name), variable));
      }

      @Override
      public void link(String name, SavedVariable variable) {
        put(node, name, valueNode(variable.variable(), variable.description()));
        linkPaths.get(rootName).add(append(path, name));
      }
    });
  }

  private static void put(Node parent, String name, Node child) {
    Node previous = parent.children.putIfAbsent(name, child);
    if (previous != null && previous != child) {
      throw new IllegalStateException("a different object is already tracked as " + name);
    }
  }

  private static List<String> append(List<String> path, String name) {
    List<String> out = new ArrayList<>(path);
    out.add(name);
    return List.copyOf(out);
  }

  private void build() {
    Map<Node, Integer> ids = new IdentityHashMap<>();
    Map<Node, String> paths = new IdentityHashMap<>();
    List<Node> order = new ArrayList<>();
    Deque<Node> queue = new ArrayDeque<>();
    ids.put(root, 0);
    paths.put(root, "");
    order.add(root);
    queue.add(root);
    while (!queue.isEmpty()) {
      Node node = queue.poll();
      for (Map.Entry<String, Node> e : node.children.entrySet()) {
        Node child = e.getValue();
        if (!ids.containsKey(child)) {
          ids.put(child, order.size());
          String parentPath = paths.get(node);
          paths.put(child, (parentPath.isEmpty() ? "" : parentPath + "/") + escape(e.getKey()));
          order.add(child);
          queue.add(child);
        }
      }
    }
    TrackableObjectGraph.Builder builder = TrackableObjectGraph.newBuilder();
    for (Node node : order) {
      TrackableObject.Builder object = TrackableObject.newBuilder();
      node.children.forEach((name, child) -> object.addChildren(
          TrackableObject.ObjectReference.newBuilder().setNodeId(ids.get(child)).setLocalName(name)));
      if (node.value != null) {
        String key = paths.get(node) + "/.ATTRIBUTES/" + VARIABLE_VALUE;
        keys.put(node.value, key);
        object.addAttributes(TrackableObject.SerializedTensor.newBuilder()
            .setName(VARIABLE_VALUE).setFullName(node.fullName).setCheckpointKey(key));
      }
      object.setHasCheckpointValues(com.google.protobuf.BoolValue.of(hasValues(node)));
      builder.addNodes(object);
    }
    proto = builder.build();
  }

  private static boolean hasValues(Node node) {
    Deque<Node> stack = new ArrayDeque<>(List.of(node));
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (seen.put(n, true) != null) {
        continue;
      }
      if (n.value != null) {
        return true;
      }
      stack.addAll(n.children.values());
    }
    return false;
  }

  /** The proto written under {@code _CHECKPOINTABLE_OBJECT_GRAPH}. */
  public TrackableObjectGraph proto() {
    return proto;
  }

  /**
   * Every owned value of every root, in the order the roots (in the order given) first mention
   * them, by ownership or by link: a Keras optimizer lists its slots in {@code _variables}
   * (m0, v0, m1, v1, ...) before it owns them under {@code _momentums} and {@code _velocities}.
   */
  public List<Owned> owned() {
    return List.copyOf(owned);
  }

  /** The checkpoint key of a value (a variable, or a fed value's object). */
  public String key(Object value) {
    String key = keys.get(value);
    if (key == null) {
      throw new IllegalArgumentException("not a value of this checkpoint: " + value);
    }
    return key;
  }

  /** The paths under {@code root} that name values another root owns. */
  List<List<String>> linkPaths(String root) {
    return linkPaths.getOrDefault(root, List.of());
  }

  /** TensorFlow's escaping of a local name in a checkpoint key: "." becomes "..", "/" becomes "./". */
  static String escape(String localName) {
    return localName.replace(".", "..").replace("/", "./");
  }

  /**
   * Follows {@code path} (local names) from the root of a checkpoint's object graph and returns
   * the checkpoint key of the value found there, or null if the path or its value is absent. This
   * is how a checkpoint written by Python (whose keys depend on which objects existed when it was
   * saved) is matched to our variables.
   */
  public static String resolve(TrackableObjectGraph graph, List<String> path) {
    int node = 0;
    for (String name : path) {
      int next = -1;
      for (TrackableObject.ObjectReference ref : graph.getNodes(node).getChildrenList()) {
        if (ref.getLocalName().equals(name)) {
          next = ref.getNodeId();
          break;
        }
      }
      if (next < 0 || next >= graph.getNodesCount()) {
        return null;
      }
      node = next;
    }
    for (TrackableObject.SerializedTensor attribute : graph.getNodes(node).getAttributesList()) {
      if (attribute.getName().equals(VARIABLE_VALUE)) {
        return attribute.getCheckpointKey();
      }
    }
    return null;
  }

  /** Every value key reachable from the root child {@code rootChild} of a checkpoint's object graph. */
  static List<String> valueKeysUnder(TrackableObjectGraph graph, String rootChild) {
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
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
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
}
