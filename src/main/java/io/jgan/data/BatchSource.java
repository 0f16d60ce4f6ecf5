package io.jgan.data;

/**
 * Batch {@code step} of epoch {@code epoch}, for any (epoch, step): the training loop asks in
 * order, but every answer depends only on its arguments, so a resumed run gets the same batches.
 *
 * <pre>{@code
 * BatchSource source = new Batches(Dataset.MNIST.load(Path.of("data"), true), PixelScale.TANH, 256, 42);
 * try (Batch batch = source.batch(0, 0)) {   // epoch 0, step 0
 *   System.out.println(source.stepsPerEpoch() + " batches of " + batch.size());
 * }
 * }</pre>
 */
public interface BatchSource {
  /** Batches in a full epoch. */
  int stepsPerEpoch();

  /** Classes of the labels its batches carry (one-hot), 0 when unlabelled. */
  default int classes() {
    return 0;
  }

  /** One line for the console: what the batches are. */
  default String describe() {
    return getClass().getSimpleName() + ", " + stepsPerEpoch() + " batches per epoch";
  }

  /** The batch; the caller closes it. */
  Batch batch(long epoch, int step);
}
