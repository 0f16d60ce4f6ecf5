package io.jgan.train.loop;

/**
 * A request to stop training after the current step, as the first Ctrl-C or SIGTERM makes it:
 * the {@link Trainer} finishes the step in progress, its listeners save a checkpoint of exactly
 * that step ({@link TrainingListener#onStop}), and the command exits with the signal's status.
 * Written by a signal-handling thread, read by the training loop.
 */
public final class StopRequest {
  /** Shell status of a process stopped by SIGINT (128 + 2) and by SIGTERM (128 + 15). */
  public static final int SIGINT_STATUS = 130;
  public static final int SIGTERM_STATUS = 143;

  private volatile String signal;
  private volatile boolean training;

  /** Asks the loop to stop after its current step; {@code signal} is {@code INT} or {@code TERM}. */
  public void request(String signal) {
    this.signal = signal;
  }

  public boolean isRequested() {
    return signal != null;
  }

  /** The signal that asked, or null. */
  public String signal() {
    return signal;
  }

  /** 130 for INT, 143 for TERM (and anything else). */
  public int exitStatus() {
    return "INT".equals(signal) ? SIGINT_STATUS : SIGTERM_STATUS;
  }

  /** Whether a training loop is running and will honour a request (before and after it, stop at once). */
  public boolean isTraining() {
    return training;
  }

  void setTraining(boolean running) {
    training = running;
  }
}
