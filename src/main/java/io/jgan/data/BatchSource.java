package io.jgan.data;

/**
 * Batch {@code step} of epoch {@code epoch}, for any (epoch, step): the training loop asks in
 * order, but every answer depends only on its arguments, so a resumed run gets the same batches.
 */
public interface BatchSource {
  /** Batches in a full epoch. */
  int stepsPerEpoch();

  /** The batch; the caller closes it. */
  Batch batch(long epoch, int step);
}
