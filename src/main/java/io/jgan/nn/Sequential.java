package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * An ordered chain of layers that owns their variables, like {@code keras.Sequential} built with
 * an input shape: {@code new Sequential("generator", Shape.of(100)).add(new Dense(...)).add(...)}.
 *
 * <p>{@link #build} creates every variable once; {@link #call} may then be applied any number of
 * times in the graph (the tutorial's discriminator runs on real and on generated images with the
 * same weights).
 *
 * <pre>{@code
 * Sequential g = new Sequential("generator", Shape.of(100))
 *     .add(new Dense(256)).add(new LeakyRelu(0.2f))
 *     .add(new Dense(784).activation(Activation.TANH));
 * g.build(tf, 42);
 * System.out.println(g.summary());
 * }</pre>
 */
public final class Sequential implements Network {
  private final String name;
  private final Shape inputShape;
  private final List<Layer> layers = new ArrayList<>();
  private final List<Shape> outputShapes = new ArrayList<>();
  private KerasLayout kerasLayout = KerasLayout.SEQUENTIAL;
  private WeightFactory weightFactory;

  /**
   * @param name the network's name ({@code generator}, {@code discriminator}); scopes its variables
   * @param inputShape the shape of one example, without the batch dimension
   */
  public Sequential(String name, Shape inputShape) {
    this.name = name;
    this.inputShape = inputShape;
  }

  /** How the Keras original of this network lays out its layers in a checkpoint (default: Sequential). */
  public Sequential kerasLayout(KerasLayout layout) {
    this.kerasLayout = layout;
    return this;
  }

  /** How the Keras original lays out its layers in a checkpoint. */
  public KerasLayout kerasLayout() {
    return kerasLayout;
  }

  public Sequential add(Layer layer) {
    if (weightFactory != null) {
      throw new IllegalStateException(name + " is already built: add layers before build()");
    }
    layers.add(layer);
    return this;
  }

  /** Creates float32 variables for every layer (seeded on {@code runSeed}) and checks that the shapes chain. */
  @Override
  public Sequential build(Ops tf, long runSeed) {
    return build(tf, runSeed, TFloat32.class);
  }

  @Override
  public Sequential build(Ops tf, long runSeed, Class<? extends TFloating> dtype) {
    if (weightFactory != null) {
      throw new IllegalStateException(name + " is already built");
    }
    weightFactory = new WeightFactory(tf, name, runSeed, dtype);
    Shape shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String layerName = i + "_" + layer.kind().toLowerCase(Locale.ROOT);
      try {
        shape = layer.build(shape, weightFactory.layer(layerName));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " layer " + i + " (" + layer.kind() + "): " + e.getMessage(), e);
      }
      outputShapes.add(shape);
    }
    return this;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> inputs, CallContext ctx) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(name + ": expected 1 input, got " + inputs.size());
    }
    return call(tf, inputs.get(0), ctx);
  }

  /** Applies the chain to a batch [batch, inputShape...]; returns [batch, outputShape...]. */
  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    requireBuilt();
    if (x.type() != weightFactory.dtype()) {
      throw new IllegalArgumentException(name + ": expected a " + FloatTypes.name(weightFactory.dtype()) + " input, got "
          + x.type().getSimpleName());
    }
    Operand<T> y = x;
    for (Layer layer : layers) {
      y = layer.call(tf, y, ctx);
    }
    return y;
  }

  @Override
  public String name() {
    return name;
  }

  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public List<Shape> inputShapes() {
    return List.of(inputShape);
  }

  @Override
  public Shape outputShape() {
    requireBuilt();
    return outputShapes.get(outputShapes.size() - 1);
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /** Each layer's output shape (without the batch), in order. */
  public List<Shape> layerOutputShapes() {
    requireBuilt();
    return List.copyOf(outputShapes);
  }

  @Override
  public List<Weight> weights() {
    requireBuilt();
    List<Weight> all = new ArrayList<>();
    layers.forEach(l -> all.addAll(l.weights()));
    return all;
  }

  @Override
  public List<Op> initOps() {
    requireBuilt();
    return weightFactory.initOps();
  }

  /**
   * The layers as the Keras original lays them out in a checkpoint ({@link KerasLayout}): layer
   * {@code i} is {@code <prefix...>/<firstLayer + i>}, holding its weights under their Keras
   * attribute names ({@code _kernel}, {@code bias}, {@code gamma}, ...).
   */
  @Override
  public void trackChildren(Children children) {
    requireBuilt();
    trackUnder(children, 0);
  }

  private void trackUnder(Children children, int depth) {
    if (depth < kerasLayout.prefix().size()) {
      children.object(kerasLayout.prefix().get(depth), c -> trackUnder(c, depth + 1));
      return;
    }
    for (int i = 0; i < layers.size(); i++) {
      List<Weight> layerWeights = layers.get(i).weights();
      children.object(Integer.toString(kerasLayout.firstLayer() + i), c -> {
        for (Weight w : layerWeights) {
          c.variable(w.trackableName(), w.saved());
        }
      });
    }
  }

  @Override
  public String summary() {
    requireBuilt();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s (input %s)%n", name, inputShape));
    long total = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      long params = layer.weights().stream().mapToLong(w -> w.shape().size()).sum();
      total += params;
      sb.append(String.format(Locale.ROOT, "  %2d %-19s %-16s %10d  %s%n", i, layer.kind(),
          outputShapes.get(i), params, layer.describe()));
    }
    sb.append(String.format(Locale.ROOT, "  total parameters: %d%n", total));
    return sb.toString();
  }

  private void requireBuilt() {
    if (weightFactory == null) {
      throw new IllegalStateException(name + " is not built yet: call build() first");
    }
  }
}
