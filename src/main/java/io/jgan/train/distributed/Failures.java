package io.jgan.train.distributed;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed session run means in a multi-worker run. A worker that dies while the others
 * exchange data with it resets their connections, and their all-reduce fails at once
 * (UNAVAILABLE, naming the lost task); one that is gone before they reach it, or that stops
 * answering, makes their all-reduce wait until its timeout ({@code timeout_seconds}) and fail with
 * DEADLINE_EXCEEDED. Either way TensorFlow aborts every later collective of the process, so the
 * process must stop.
 */
public final class Failures {
  private static final Pattern REMOTE_TASK = Pattern.compile("remote target /job:" + Cluster.JOB + "/replica:0/task:(\\d+)");
  private static final Pattern STATUS = Pattern.compile(
      "\\b(UNAVAILABLE|DEADLINE_EXCEEDED|ABORTED|CANCELLED|INTERNAL|FAILED_PRECONDITION|RESOURCE_EXHAUSTED): ([^\\n]*)");

  private Failures() {}

  /**
   * {@code e}, thrown by a session run doing {@code what}, as a {@link WorkersLostException} that
   * says which worker saw it, which worker was lost where TensorFlow names it, and TensorFlow's status.
   */
  public static WorkersLostException lost(Cluster cluster, String what, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    Matcher status = STATUS.matcher(message);
    String cause = status.find() ? status.group(1) + ": " + status.group(2).trim() : firstLine(message);
    Matcher remote = REMOTE_TASK.matcher(message);
    String why;
    if (remote.find()) {
      int task = Integer.parseInt(remote.group(1));
      why = "lost worker " + task + (task < cluster.size() ? " (" + cluster.addresses().get(task) + ")" : "");
    } else if (cause.startsWith("DEADLINE_EXCEEDED") || cause.contains("timed out")) {
      why = "another worker was lost, stopped, or did not reach it within the all-reduce timeout (--worker-timeout)";
    } else {
      why = "TensorFlow failed";
    }
    return new WorkersLostException(cluster.describe() + ": " + what + " could not complete: " + why + " (" + cause + ")", e);
  }

  /** The first line that says something: TensorFlow starts with "From /job:...:" (where it happened). */
  private static String firstLine(String s) {
    for (String line : s.split("\n")) {
      if (!line.isBlank() && !line.startsWith("From /job:")) {
        return line.trim();
      }
    }
    return s.trim();
  }
}
