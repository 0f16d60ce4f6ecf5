package io.jgan.gan;

import io.jgan.nn.CallContext;
import io.jgan.nn.RandomSource;
import io.jgan.optim.Optimizer;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * What a {@link GanStep} is built from: the GAN's two networks and optimizers in the training
 * graph, its random source, and where the step's ops go. The training engine implements it (for
 * one device, for each tower of a replicated step, for each copy of a step unrolled into one
 * session run), so a step written against it runs in all of them.
 *
 * <p>A step creates its batch placeholders ({@link #realImagesPlaceholder}, {@link #labelsPlaceholder}),
 * computes losses from network passes ({@link #trainingPass}, {@link #generate}, {@link #discriminate}),
 * and describes one {@link Phase} per session run, whose update {@link Updates#minimize} builds.
 *
 * <pre>{@code
 * Placeholder<T> real = s.realImagesPlaceholder(tf);
 * Operand<T> noise = s.latents(tf, StepBuilder.batchOf(tf, real));
 * CallContext pass = s.trainingPass();
 * Operand<T> fakeScores = s.discriminate(tf, s.generate(tf, noise, null, pass), null, pass);
 * }</pre>
 *
 * @param <T> float32 (training) or float64 (the parity checks): the type of every weight and image
 */
public interface StepBuilder<T extends TFloating> {
  /** Where the step's ops go. */
  Ops tf();

  Class<T> dtype();

  /** One example as the data has it, e.g. [28, 28, 1]. */
  Shape imageShape();

  /** Examples per step (while a tower of a replicated step is built, that replica's share). */
  int batchSize();

  /** Classes of a class-conditional GAN; 0 when unconditional. */
  int classes();

  /** The step's random source: each draw takes a new stream; every draw is keyed on (seed, step, sub-step). */
  RandomSource random();

  /** Latent vectors [count, latentDim] of the GAN's prior, drawn from a new stream of {@link #random()}. */
  Operand<T> latents(Ops tf, Operand<TInt64> count);

  /** G(z, y) as images [n, h, w, c]: labels one-hot [n, classes], or null when unconditional. */
  Operand<T> generate(Ops tf, Operand<T> latents, Operand<T> labels, CallContext pass);

  /** D(x, y) [n, 1] in {@code pass}. */
  Operand<T> discriminate(Ops tf, Operand<T> images, Operand<T> labels, CallContext pass);

  /** A training-mode network pass (dropout on, BatchNorm statistics of the batch and updated). */
  CallContext trainingPass();

  /** An inference-mode pass (no dropout, BatchNorm moving statistics read, not updated). */
  CallContext inferencePass();

  /**
   * Marks the end of a phase: the passes created after it read the variables after {@code update}
   * (which matters when the step is unrolled into one session run; nothing changes otherwise).
   */
  void phaseBuilt(Op update);

  /** G's optimizer (in a tower of a replicated step, one that all-reduces the gradients first). */
  Optimizer<T> generatorOptimizer();

  /** D's optimizer, likewise. */
  Optimizer<T> discriminatorOptimizer();

  /** The real batch's placeholder [-1, h, w, c], named {@code real_images} in {@code tf}'s scope. */
  default Placeholder<T> realImagesPlaceholder(Ops tf) {
    return tf.withName("real_images").placeholder(dtype(), Placeholder.shape(withBatch(imageShape())));
  }

  /** The one-hot labels' placeholder [-1, classes] named {@code labels}, or null when unconditional. */
  default Placeholder<T> labelsPlaceholder(Ops tf) {
    return classes() > 0 ? tf.withName("labels").placeholder(dtype(), Placeholder.shape(Shape.of(-1, classes()))) : null;
  }

  /** [-1, dims...]: a batch of {@code example}s. */
  static Shape withBatch(Shape example) {
    long[] dims = new long[example.numDimensions() + 1];
    dims[0] = -1;
    System.arraycopy(example.asArray(), 0, dims, 1, example.numDimensions());
    return Shape.of(dims);
  }

  /** The size of a placeholder-fed batch [b, ...] as a scalar that depends on no weight. */
  static Operand<TInt64> batchOf(Ops ops, Operand<?> batch) {
    return ops.reshape(ops.stridedSlice(ops.shape(batch, TInt64.class), ops.constant(new int[] {0}),
        ops.constant(new int[] {1}), ops.constant(new int[] {1})), ops.constant(new long[0]));
  }
}
