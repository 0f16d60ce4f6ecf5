package io.jgan.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A network wired as a graph of layers, as Keras's functional API builds one
 * ({@code keras.Model(inputs, output)}): several inputs, layers shared between branches, skip
 * connections (a U-Net generator, a generator or discriminator conditioned on labels).
 *
 * <pre>{@code
 * Functional.Builder f = Functional.builder("generator");
 * Functional.Node latents = f.input("latents", Shape.of(100));
 * Functional.Node labels = f.input("labels", Shape.of(10));                 // one-hot
 * Functional.Node h = f.apply(new Concatenate(), latents, labels);          // [110]
 * h = f.apply(new Dense(7 * 7 * 64), h);                                    // [3136]
 * h = f.apply(new Reshape(7, 7, 64), h);                                    // [7, 7, 64]
 * Functional.Node skip = h;
 * h = f.apply(new Conv2d(64, 3).padding(Padding.SAME).activation(Activation.RELU), h);
 * h = f.apply(new Concatenate(), h, skip);                                  // [7, 7, 128]
 * h = f.apply(new UpSampling2D(), h);                                       // [14, 14, 128]
 * h = f.apply(new Conv2d(1, 3).padding(Padding.SAME).activation(Activation.TANH), h);
 * Functional generator = f.output(h).build(tf, seed);                       // [14, 14, 1]
 * Operand<TFloat32> images = generator.call(tf, List.of(z, y), ctx);
 * }</pre>
 *
 * <p>Semantics are Keras's. The same {@link Layer} or {@link MergeLayer} instance applied twice is
 * one layer with one set of weights (its gradient sums over both applications); every later
 * application must see the input shapes of the first. {@link #build} creates the layers in the
 * order they were first applied, each once, and checks the shapes from the inputs to the output;
 * {@link #call} evaluates each application once per call, in application order. Every input and
 * every application must lead to the output ({@link Builder#output} refuses a dangling branch,
 * which Keras would drop silently).
 *
 * <p>Layers are numbered as Keras 3 numbers a functional model's {@code _operations} (the index
 * in {@link #summary()}, in the variables' names and in checkpoint paths
 * {@code <model>/_operations/<i>/...}): Keras's {@code map_graph} sorts them by depth, the longest
 * path from the layer to the output, deepest first, and within one depth by the order of a
 * depth-first walk from the output. So the {@code InputLayer}s come first only where they are the
 * deepest: in a model whose labels go through an {@link Embedding} before joining the latents, the
 * labels' InputLayer is 0, the Embedding 1 and the latents' InputLayer 2, as in Keras.
 * {@link #weights()} lists the weights in that order, as Keras's {@code model.weights}.
 */
public final class Functional implements Network {
  private final String name;
  private final List<Node> inputs;
  /** Every application the output depends on, in application order (a topological order). */
  private final List<Node> nodes;
  private final Node output;
  /** The operations in Keras's {@code _operations} order. */
  private final List<Operation> operations;
  private final Map<Operation, Integer> indexOf = new IdentityHashMap<>();
  private WeightFactory weightFactory;
  private final Map<Node, Shape> shapes = new IdentityHashMap<>();
  private final Map<Operation, List<Shape>> firstInputShapes = new IdentityHashMap<>();
  private final Map<Operation, Shape> firstOutputShape = new IdentityHashMap<>();

  private Functional(String name, List<Node> inputs, List<Node> nodes, Node output, List<Operation> operations) {
    this.name = name;
    this.inputs = List.copyOf(inputs);
    this.nodes = List.copyOf(nodes);
    this.output = output;
    this.operations = List.copyOf(operations);
    for (int i = 0; i < operations.size(); i++) {
      indexOf.put(operations.get(i), i);
    }
  }

  /**
   * Starts a network.
   *
   * @param name the network's name ({@code generator}, {@code discriminator}), which scopes its variables
   * @return a builder to declare its inputs and apply its layers
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  public Functional build(Ops tf, long runSeed) {
    return build(tf, runSeed, TFloat32.class);
  }

  /**
   * Creates every layer's variables, layer by layer in the order of their first application, and
   * checks the shapes from the inputs to the output; fails naming the layer (index and kind) and
   * the shapes it was given.
   */
  @Override
  public Functional build(Ops tf, long runSeed, Class<? extends TFloating> dtype) {
    if (weightFactory != null) {
      throw new IllegalStateException(name + " is already built");
    }
    weightFactory = new WeightFactory(tf, name, runSeed, dtype);
    for (Node node : nodes) {
      Operation op = node.operation;
      if (op.isInput()) {
        shapes.put(node, op.inputShape);
        continue;
      }
      List<Shape> in = node.parents.stream().map(shapes::get).toList();
      int index = indexOf.get(op);
      Shape out;
      try {
        List<Shape> first = firstInputShapes.get(op);
        if (first == null) {
          out = op.build(in, weightFactory.layer(index + "_" + op.kind().toLowerCase(Locale.ROOT)));
          firstInputShapes.put(op, in);
          firstOutputShape.put(op, out);
        } else if (!sameShapes(first, in)) {
          throw new IllegalArgumentException("a shared layer expected the input shapes of its first application "
              + first + ", got " + in);
        } else {
          out = firstOutputShape.get(op);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name + " layer " + index + " (" + op.kind() + ") on input shapes " + in + ": " + e.getMessage(), e);
      }
      shapes.put(node, out);
    }
    return this;
  }

  private static boolean sameShapes(List<Shape> a, List<Shape> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i).asArray(), b.get(i).asArray())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies the network to one batch per input, in the order the inputs were declared, each
   * [batch, inputShape...] of the type the network was built in; returns [batch, outputShape...].
   */
  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> xs, CallContext ctx) {
    requireBuilt();
    if (xs.size() != inputs.size()) {
      throw new IllegalArgumentException(name + ": expected " + inputs.size() + " inputs " + inputNames() + ", got "
          + xs.size());
    }
    Map<Node, Operand<T>> values = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      Node input = inputs.get(i);
      Operand<T> x = xs.get(i);
      checkInput(input, x);
      values.put(input, x);
    }
    for (Node node : nodes) {
      if (!node.operation.isInput()) {
        List<Operand<T>> args = node.parents.stream().map(values::get).toList();
        values.put(node, node.operation.call(tf, args, ctx));
      }
    }
    return values.get(output);
  }

  private void checkInput(Node input, Operand<?> x) {
    String what = name + " input '" + input.operation.inputName + "'";
    if (x.type() != weightFactory.dtype()) {
      throw new IllegalArgumentException(what + ": expected a " + FloatTypes.name(weightFactory.dtype()) + " input, got "
          + x.type().getSimpleName());
    }
    Shape given = x.shape();
    long[] declared = input.operation.inputShape.asArray();
    if (given.isUnknown()) {
      return;
    }
    boolean matches = given.numDimensions() == declared.length + 1;
    for (int d = 0; matches && d < declared.length; d++) {
      long size = given.get(d + 1);
      matches = size == Shape.UNKNOWN_SIZE || size == declared[d];
    }
    if (!matches) {
      throw new IllegalArgumentException(what + ": expected [batch, " + join(declared) + "], got " + given);
    }
  }

  private static String join(long[] dims) {
    return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(", "));
  }

  /**
   * The index Keras 3 gives {@code layer} in this network's {@code _operations}: its number in
   * {@link #summary()}, in its variables' names and in its checkpoint path
   * ({@code <network>/_operations/<index>/...}).
   *
   * @param layer a layer this network applies
   * @return its index
   */
  public int indexOf(Layer layer) {
    return indexOfLayer(layer);
  }

  /**
   * The index Keras 3 gives a merge layer in this network's {@code _operations}.
   *
   * @param layer a merge layer this network applies
   * @return its index
   */
  public int indexOf(MergeLayer layer) {
    return indexOfLayer(layer);
  }

  /**
   * The index of an input's InputLayer in Keras's {@code _operations}.
   *
   * @param inputName the name the input was declared with
   * @return its index
   */
  public int indexOfInput(String inputName) {
    for (Node input : inputs) {
      if (input.operation.inputName.equals(inputName)) {
        return indexOf.get(input.operation);
      }
    }
    throw new IllegalArgumentException(name + ": expected one of the inputs " + inputNames() + ", got '" + inputName + "'");
  }

  private int indexOfLayer(Object layer) {
    for (Operation op : operations) {
      if (op.layer == layer) {
        return indexOf.get(op);
      }
    }
    throw new IllegalArgumentException(name + ": expected one of its layers, got a " + (layer instanceof Layer l ? l.kind()
        : layer instanceof MergeLayer m ? m.kind() : String.valueOf(layer)) + " it does not apply");
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The inputs' names.
   *
   * @return the names, in the order {@link #call} takes the inputs
   */
  public List<String> inputNames() {
    return inputs.stream().map(n -> n.operation.inputName).toList();
  }

  @Override
  public List<Shape> inputShapes() {
    return inputs.stream().map(n -> n.operation.inputShape).toList();
  }

  @Override
  public Shape outputShape() {
    requireBuilt();
    return shapes.get(output);
  }

  /** Every weight, layer by layer in Keras's {@code _operations} order, each layer's in Keras order (shared layers once). */
  @Override
  public List<Weight> weights() {
    requireBuilt();
    List<Weight> all = new ArrayList<>();
    operations.forEach(op -> all.addAll(op.weights()));
    return all;
  }

  @Override
  public List<Op> initOps() {
    requireBuilt();
    return weightFactory.initOps();
  }

  /**
   * The layout of Keras 3's functional model: layer {@code i} (as numbered in {@link #summary()})
   * is {@code _operations/<i>}, holding its weights under their Keras attribute names
   * ({@code _kernel}, {@code bias}, {@code gamma}, {@code _embeddings}, ...). The InputLayers
   * hold nothing and are left out, as {@link Sequential} leaves them out.
   */
  @Override
  public void trackChildren(Children children) {
    requireBuilt();
    children.object("_operations", c -> {
      for (int i = 0; i < operations.size(); i++) {
        Operation op = operations.get(i);
        if (op.isInput()) {
          continue;
        }
        List<Weight> layerWeights = op.weights();
        c.object(Integer.toString(i), layer -> {
          for (Weight w : layerWeights) {
            layer.variable(w.trackableName(), w.saved());
          }
        });
      }
    });
  }

  /**
   * One line per layer in Keras's order: index, kind, output shape, parameters, description and
   * the layers it takes its inputs from ({@code <- 0, 1}; {@code 3[1]} is the second application
   * of a shared layer 3, as Keras writes it; one group per application of a shared layer).
   */
  @Override
  public String summary() {
    requireBuilt();
    Map<Operation, List<Node>> applications = new IdentityHashMap<>();
    for (Node node : nodes) {
      applications.computeIfAbsent(node.operation, o -> new ArrayList<>()).add(node);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s (inputs %s)%n", name, inputs.stream()
        .map(n -> n.operation.inputName + " " + n.operation.inputShape).collect(Collectors.joining(", "))));
    long total = 0;
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      List<Node> applied = applications.get(op);
      long params = op.weights().stream().mapToLong(w -> w.shape().size()).sum();
      total += params;
      String from = op.isInput() ? "" : applied.stream()
          .map(n -> n.parents.stream().map(p -> reference(p, applications)).collect(Collectors.joining(", ")))
          .collect(Collectors.joining("; ", "  <- ", ""));
      String description = op.describe();
      sb.append(String.format(Locale.ROOT, "  %2d %-19s %-16s %10d  %s%s%n", i, op.kind(), shapes.get(applied.get(0)),
          params, description, from).stripTrailing()).append(System.lineSeparator());
    }
    sb.append(String.format(Locale.ROOT, "  total parameters: %d%n", total));
    return sb.toString();
  }

  private String reference(Node node, Map<Operation, List<Node>> applications) {
    List<Node> applied = applications.get(node.operation);
    String index = Integer.toString(indexOf.get(node.operation));
    return applied.size() == 1 ? index : index + "[" + applied.indexOf(node) + "]";
  }

  private void requireBuilt() {
    if (weightFactory == null) {
      throw new IllegalStateException(name + " is not built yet: call build() first");
    }
  }

  /**
   * A tensor of a network under construction: one of its inputs, or the output of one application
   * of a layer. Pass it to {@link Builder#apply} to feed it to another layer, or to
   * {@link Builder#output} to make it the network's output.
   *
   * <pre>{@code
   * Functional.Node images = f.input("images", Shape.of(28, 28, 1));
   * Functional.Node features = f.apply(new Conv2d(64, 5).strides(2).padding(Padding.SAME), images);
   * }</pre>
   */
  public static final class Node {
    private final Builder builder;
    private final Operation operation;
    private final List<Node> parents;
    /** 1 + the number of applications before this one (for messages). */
    private final int application;

    private Node(Builder builder, Operation operation, List<Node> parents, int application) {
      this.builder = builder;
      this.operation = operation;
      this.parents = List.copyOf(parents);
      this.application = application;
    }

    /** {@code input 'latents'} or {@code Dense (application 3)}. */
    @Override
    public String toString() {
      return operation.isInput() ? "input '" + operation.inputName + "'"
          : operation.kind() + " (application " + application + ")";
    }
  }

  /**
   * Declares the inputs of a {@link Functional} network, applies layers to them and marks the
   * output; {@link #output} returns the network. One builder makes one network.
   *
   * <pre>{@code
   * Functional.Builder f = Functional.builder("discriminator");
   * Functional.Node images = f.input("images", Shape.of(28, 28, 1));
   * Functional.Node h = f.apply(new Conv2d(64, 5).strides(2).padding(Padding.SAME), images);
   * h = f.apply(new LeakyRelu(0.2f), h);
   * h = f.apply(new GlobalMaxPooling2D(), h);
   * Functional discriminator = f.output(f.apply(new Dense(1), h));
   * }</pre>
   */
  public static final class Builder {
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Node> inputs = new ArrayList<>();
    private final Map<Object, Operation> operations = new IdentityHashMap<>();
    private final Set<String> inputNames = new HashSet<>();
    private boolean finished;

    private Builder(String name) {
      if (name == null || name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("expected a network name without '/', got '" + name + "'");
      }
      this.name = name;
    }

    /**
     * Declares an input called {@code inputName}, of examples of {@code shape} (without the batch
     * dimension, e.g. {@code [100]} for latents, {@code [28, 28, 1]} for images). The network
     * takes its inputs in the order they are declared.
     *
     * @param inputName a name unique in this network
     * @param shape the shape of one example, every size positive
     * @return the input's node
     */
    public Node input(String inputName, Shape shape) {
      requireOpen();
      if (inputName == null || inputName.isEmpty()) {
        throw new IllegalArgumentException(name + ": expected an input name, got '" + inputName + "'");
      }
      if (!inputNames.add(inputName)) {
        throw new IllegalArgumentException(name + ": expected a new input name, got '" + inputName + "' again");
      }
      Objects.requireNonNull(shape, "shape");
      if (shape.isUnknown() || Arrays.stream(shape.asArray()).anyMatch(d -> d <= 0)) {
        throw new IllegalArgumentException(name + " input '" + inputName + "': expected a shape of positive sizes, got "
            + shape);
      }
      Node node = add(new Operation(null, inputName, shape), List.of());
      inputs.add(node);
      return node;
    }

    /**
     * Applies a single-input layer; applying the same instance again shares its weights.
     *
     * @param layer the layer
     * @param input a node of this builder
     * @return the node of the layer's output
     */
    public Node apply(Layer layer, Node input) {
      Objects.requireNonNull(layer, "layer");
      return applyOperation(layer, List.of(checked(input)));
    }

    /**
     * Applies a merge layer; applying the same instance again shares its weights.
     *
     * @param layer the layer
     * @param inputs nodes of this builder, in the order the layer takes them
     * @return the node of the layer's output
     */
    public Node apply(MergeLayer layer, Node... inputs) {
      return apply(layer, Arrays.asList(inputs));
    }

    /**
     * Applies a merge layer; applying the same instance again shares its weights.
     *
     * @param layer the layer
     * @param inputs nodes of this builder, in the order the layer takes them
     * @return the node of the layer's output
     */
    public Node apply(MergeLayer layer, List<Node> inputs) {
      Objects.requireNonNull(layer, "layer");
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException(name + ": " + layer.kind() + " expected at least one input, got none");
      }
      return applyOperation(layer, inputs.stream().map(this::checked).toList());
    }

    private Node applyOperation(Object layer, List<Node> parents) {
      requireOpen();
      Operation op = operations.computeIfAbsent(layer, l -> new Operation(l, null, null));
      return add(op, parents);
    }

    private Node add(Operation op, List<Node> parents) {
      Node node = new Node(this, op, parents, nodes.size() + 1);
      nodes.add(node);
      return node;
    }

    private Node checked(Node node) {
      Objects.requireNonNull(node, "node");
      if (node.builder != this) {
        throw new IllegalArgumentException(
            name + ": expected a node of this builder, got " + node + " of " + node.builder.name + "'s builder");
      }
      return node;
    }

    private void requireOpen() {
      if (finished) {
        throw new IllegalStateException(name + " already has its output: declare inputs and apply layers before output()");
      }
    }

    /**
     * Makes {@code out} the network's output and returns the network (not yet built). Fails when
     * an input or a layer application does not lead to the output.
     *
     * @param out the output's node
     * @return the network, to {@link Functional#build} once
     */
    public Functional output(Node out) {
      requireOpen();
      checked(out);
      finished = true;
      Set<Node> needed = Collections.newSetFromMap(new IdentityHashMap<>());
      collectAncestors(out, needed);
      for (Node node : nodes) {
        if (!needed.contains(node)) {
          throw new IllegalArgumentException(name + ": expected every input and layer application to lead to the output, got "
              + node + " unused");
        }
      }
      return new Functional(name, inputs, nodes, out, kerasOrder(out));
    }

    private static void collectAncestors(Node node, Set<Node> seen) {
      if (seen.add(node)) {
        node.parents.forEach(p -> collectAncestors(p, seen));
      }
    }

    /**
     * Keras 3's {@code map_graph} ({@code keras/src/ops/function.py}): a depth-first walk from the
     * output numbers each operation when first reached and lists the applications in post-order;
     * then, from the output back, each application's depth is the larger of its own and its
     * operation's depth so far, and its inputs' are at least one more; operations are sorted by
     * depth, deepest first, ties in walk order.
     */
    private static List<Operation> kerasOrder(Node out) {
      List<Node> postOrder = new ArrayList<>();
      Map<Operation, Integer> walkIndex = new IdentityHashMap<>();
      walk(out, Collections.newSetFromMap(new IdentityHashMap<>()), postOrder, walkIndex);
      Map<Node, Integer> nodeDepth = new IdentityHashMap<>();
      Map<Operation, Integer> operationDepth = new IdentityHashMap<>();
      for (int i = postOrder.size() - 1; i >= 0; i--) {
        Node node = postOrder.get(i);
        int depth = Math.max(nodeDepth.getOrDefault(node, 0), operationDepth.getOrDefault(node.operation, 0));
        operationDepth.put(node.operation, depth);
        nodeDepth.put(node, depth);
        for (Node parent : node.parents) {
          nodeDepth.put(parent, Math.max(depth + 1, nodeDepth.getOrDefault(parent, 0)));
        }
      }
      List<Operation> order = new ArrayList<>(walkIndex.keySet());
      order.sort(Comparator.<Operation>comparingInt(o -> -operationDepth.get(o)).thenComparingInt(walkIndex::get));
      return order;
    }

    private static void walk(Node node, Set<Node> finished, List<Node> postOrder, Map<Operation, Integer> walkIndex) {
      if (finished.contains(node)) {
        return;
      }
      walkIndex.putIfAbsent(node.operation, walkIndex.size());
      for (Node parent : node.parents) {
        walk(parent, finished, postOrder, walkIndex);
      }
      finished.add(node);
      postOrder.add(node);
    }
  }

  /** An InputLayer, a {@link Layer} or a {@link MergeLayer}: one entry of Keras's {@code _operations}. */
  private static final class Operation {
    private final Object layer;
    private final String inputName;
    private final Shape inputShape;

    Operation(Object layer, String inputName, Shape inputShape) {
      this.layer = layer;
      this.inputName = inputName;
      this.inputShape = inputShape;
    }

    boolean isInput() {
      return layer == null;
    }

    String kind() {
      if (layer instanceof Layer l) {
        return l.kind();
      }
      return layer instanceof MergeLayer m ? m.kind() : "InputLayer";
    }

    List<Weight> weights() {
      if (layer instanceof Layer l) {
        return l.weights();
      }
      return layer instanceof MergeLayer m ? m.weights() : List.of();
    }

    String describe() {
      if (layer instanceof Layer l) {
        return l.describe();
      }
      return layer instanceof MergeLayer m ? m.describe() : inputName;
    }

    Shape build(List<Shape> in, WeightFactory.LayerScope scope) {
      return layer instanceof Layer l ? l.build(in.get(0), scope) : ((MergeLayer) layer).build(in, scope);
    }

    <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> in, CallContext ctx) {
      return layer instanceof Layer l ? l.call(tf, in.get(0), ctx) : ((MergeLayer) layer).call(tf, in, ctx);
    }
  }
}
