package io.jgan.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject;

/**
 * The object graph of a TensorFlow 2 object-based checkpoint ({@code TrackableObjectGraph}): the
 * tree of named objects that {@code tf.train.Checkpoint} walks to match saved values to Python
 * objects.
 *
 * <p>A node may be reachable under several names (Keras lists each model weight again in its
 * optimizer's {@code _trainable_variables}); it is one node with several parents. Each value's
 * checkpoint key is the first path to it in breadth-first order, escaped and suffixed with
 * {@code /.ATTRIBUTES/VARIABLE_VALUE}, as {@code tf.train.Checkpoint} names it, so a checkpoint
 * written here lists the same keys as one Python wrote for the same objects.
 */
public final class TrackableGraph {
  /** The attribute name of a variable's value. */
  public static final String VARIABLE_VALUE = "VARIABLE_VALUE";

  /** One trackable object. */
  public static final class Node {
    private final Map<String, Node> children = new LinkedHashMap<>();
    private Object value;
    private String fullName;

    /** The child called {@code name}, created if absent. */
    public Node child(String name) {
      return children.computeIfAbsent(name, n -> new Node());
    }

    /** Makes {@code existing} reachable from here as {@code name} too. */
    public Node link(String name, Node existing) {
      Node previous = children.putIfAbsent(name, existing);
      if (previous != null && previous != existing) {
        throw new IllegalStateException("a different object is already tracked as " + name);
      }
      return existing;
    }

    /** Marks this node as a saved value (a variable) identified by {@code value}. */
    public Node holds(Object value, String fullName) {
      this.value = value;
      this.fullName = fullName;
      return this;
    }

    public Map<String, Node> children() {
      return children;
    }

    public Object value() {
      return value;
    }
  }

  private final Node root = new Node();

  public Node root() {
    return root;
  }

  /** The proto and the checkpoint key of every value, in breadth-first order. */
  public record Built(TrackableObjectGraph proto, Map<Object, String> keys) {}

  public Built build() {
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
    Map<Object, String> keys = new LinkedHashMap<>();
    TrackableObjectGraph.Builder proto = TrackableObjectGraph.newBuilder();
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
      proto.addNodes(object);
    }
    return new Built(proto.build(), keys);
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
}
