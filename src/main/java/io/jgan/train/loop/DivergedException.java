package io.jgan.train.loop;

/**
 * Training produced a NaN or infinity: in a step's loss (or other metric) or in a weight about to
 * be checkpointed. The run stops at once, naming the step and the tensor; no checkpoint holding the
 * bad value is written, so the latest checkpoint is still the last good one (Keras's
 * {@code TerminateOnNaN}, plus the weights).
 */
public final class DivergedException extends RuntimeException {
  private final long step;

  public DivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The global step (1-based, steps done) at which the bad value was seen. */
  public long step() {
    return step;
  }
}
