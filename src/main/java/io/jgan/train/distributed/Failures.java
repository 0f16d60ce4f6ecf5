package io.jgan.train.distributed;

/**
 * What a failed session run means in a multi-worker run. TensorFlow's collectives do not notice a
 * peer that died: the survivors' all-reduce waits until its timeout ({@code timeout_seconds}),
 * then fails with DEADLINE_EXCEEDED and aborts every later collective of the process (so the
 * process must stop); a peer that is reachable but failed makes it fail at once.
 */
public final class Failures {
  private Failures() {}

  /**
   * {@code e}, thrown by a session run doing {@code what}, as a {@link WorkersLostException} that
   * says which worker saw it and TensorFlow's first line of the cause.
   */
  public static WorkersLostException lost(Cluster cluster, String what, RuntimeException e) {
    String cause = String.valueOf(e.getMessage());
    int newline = cause.indexOf('\n');
    if (newline >= 0) {
      cause = cause.substring(0, newline);
    }
    String why = cause.contains("DEADLINE_EXCEEDED") || cause.contains("timed out")
        ? "another worker was lost, stopped, or did not reach it within the all-reduce timeout (--worker-timeout)"
        : "TensorFlow failed";
    return new WorkersLostException(cluster.describe() + ": " + what + " could not complete: " + why + " (" + cause + ")", e);
  }
}
