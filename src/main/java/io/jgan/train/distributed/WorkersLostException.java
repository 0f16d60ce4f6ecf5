package io.jgan.train.distributed;

/**
 * A multi-worker run cannot go on: another worker was lost (killed, stopped, unreachable) or
 * waited for longer than the all-reduce timeout, or the workers started from different states.
 * The message says which worker saw it and what to do; the run's latest checkpoint is untouched.
 */
public final class WorkersLostException extends RuntimeException {
  public WorkersLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
