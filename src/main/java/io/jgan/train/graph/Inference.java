package io.jgan.train.graph;

import io.jgan.nn.CallContext;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * G(z) and D(x) in inference mode ({@code training=False}: no dropout, BatchNorm's moving
 * statistics) for sample grids, {@code generate} and export, built once into a graph.
 */
public final class Inference<T extends TFloating> {
  private final GanNetworks<T> networks;
  private final Placeholder<T> latents;
  private final Placeholder<T> labels;
  private final Operand<T> generated;
  private final Placeholder<T> images;
  private final Operand<T> discriminated;

  public Inference(Ops ops, GanNetworks<T> networks) {
    this.networks = networks;
    Ops tf = ops.withSubScope("inference");
    Class<T> dtype = networks.dtype();
    latents = tf.withName("latents").placeholder(dtype, Placeholder.shape(Shape.of(-1, networks.spec().latentDim())));
    labels = networks.classes() == 0 ? null
        : tf.withName("labels").placeholder(dtype, Placeholder.shape(Shape.of(-1, networks.classes())));
    generated = tf.withName("generated_images").identity(networks.generate(tf, latents, labels, CallContext.inference()));
    if (networks.discriminator() != null) {
      images = tf.withName("images").placeholder(dtype, Placeholder.shape(io.jgan.gan.StepBuilder.withBatch(networks.spec().imageShape())));
      discriminated = tf.withName("discriminator_output").identity(
          networks.discriminate(tf, images, labels, CallContext.inference()));
    } else {
      images = null;
      discriminated = null;
    }
  }

  /** G(z, y): images [n, h, w, c] in the GAN's pixel range; {@code labels} one-hot [n, classes], null when unconditional. */
  public T generate(Session session, T latentValues, T labelValues) {
    Session.Runner runner = session.runner().feed(latents, latentValues);
    feedLabels(runner, labelValues, latentValues.shape().size(0));
    try (Result r = runner.fetch(generated).run()) {
      return Tensors.copy(r.get(0));
    }
  }

  /** D(x, y): [n, 1] logits or probabilities, as the GAN's D outputs. */
  public T discriminate(Session session, T imageValues, T labelValues) {
    if (images == null) {
      throw new IllegalStateException(networks.spec().name() + ": this graph holds the generator only");
    }
    Session.Runner runner = session.runner().feed(images, imageValues);
    feedLabels(runner, labelValues, imageValues.shape().size(0));
    try (Result r = runner.fetch(discriminated).run()) {
      return Tensors.copy(r.get(0));
    }
  }

  /** One-hot rows for class indices, in the graph's type. */
  public T oneHot(int... classLabels) {
    return Tensors.oneHot(classLabels, networks.classes(), networks.dtype());
  }

  private void feedLabels(Session.Runner runner, T labelValues, long count) {
    int classes = networks.classes();
    if (classes == 0) {
      if (labelValues != null) {
        throw new IllegalArgumentException(networks.spec().name() + " is not class-conditional: expected no labels");
      }
      return;
    }
    if (labelValues == null || !labelValues.shape().equals(Shape.of(count, classes))) {
      throw new IllegalArgumentException(networks.spec().name() + ": expected one-hot labels [" + count + ", " + classes
          + "], got " + (labelValues == null ? "none" : labelValues.shape()));
    }
    runner.feed(labels, labelValues);
  }

  public GanNetworks<T> networks() {
    return networks;
  }

  /** The latent input [n, latentDim], for export signatures. */
  public Placeholder<T> latentInput() {
    return latents;
  }

  /** The label input [n, classes], or null when unconditional. */
  public Placeholder<T> labelInput() {
    return labels;
  }

  /** G(z, y) as images [n, h, w, c]. */
  public Operand<T> generatedImages() {
    return generated;
  }
}
