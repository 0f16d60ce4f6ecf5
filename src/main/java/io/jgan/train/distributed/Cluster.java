package io.jgan.train.distributed;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The worker processes of a multi-worker run, as tf.distribute's
 * {@code MultiWorkerMirroredStrategy} sees them: one job, {@value #JOB}, of {@code addresses.size()}
 * tasks, this process being task {@code task}; task 0 is the chief, which alone writes the run's
 * outputs. Given as {@code --cluster HOST:PORT,HOST:PORT,... --task I} or, in tf.distribute's
 * format, as the {@code TF_CONFIG} environment variable:
 *
 * <pre>
 *   {"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 1}}
 * </pre>
 *
 * @param addresses every task's HOST:PORT, in task order
 * @param task this process's index in {@code addresses}
 */
public record Cluster(List<String> addresses, int task) {
  /** The one job of the cluster (tf.distribute's name for it). */
  public static final String JOB = "worker";
  /** The environment variable tf.distribute reads the cluster from. */
  public static final String TF_CONFIG = "TF_CONFIG";

  public Cluster {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      // One is allowed, as tf.distribute allows a single worker: the plain step, run through a server.
      throw new IllegalArgumentException("--cluster: expected at least 1 worker address HOST:PORT, got none");
    }
    Set<String> seen = new HashSet<>();
    for (String a : addresses) {
      checkAddress(a);
      if (!seen.add(a)) {
        throw new IllegalArgumentException("--cluster: expected each worker address once, got " + a + " twice");
      }
    }
    if (task < 0 || task >= addresses.size()) {
      throw new IllegalArgumentException("--task: expected a task index from 0 to " + (addresses.size() - 1)
          + " (one per --cluster address), got " + task);
    }
  }

  /** {@code --cluster A,B,... --task I}. */
  public static Cluster parse(String addressList, int task) {
    List<String> addresses = new ArrayList<>();
    for (String a : addressList.split(",", -1)) {
      if (!a.isBlank() || !addressList.isBlank()) {
        addresses.add(a.trim());
      }
    }
    return new Cluster(addresses, task);
  }

  /** The cluster a {@code TF_CONFIG} value describes; {@code source} names it in errors. */
  public static Cluster fromTfConfig(String json, String source) {
    TfConfig config;
    try {
      config = new Gson().fromJson(json, TfConfig.class);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(source + ": expected JSON such as "
          + "{\"cluster\": {\"worker\": [\"host1:port\", \"host2:port\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}, got "
          + json + " (" + e.getMessage() + ")", e);
    }
    if (config == null || config.cluster == null || config.task == null) {
      throw new IllegalArgumentException(source + ": expected \"cluster\" and \"task\" entries, got " + json);
    }
    for (String job : config.cluster.keySet()) {
      if (!job.equals(JOB)) {
        // MultiWorkerMirroredStrategy also accepts a separate "chief" job; here worker 0 is the chief.
        throw new IllegalArgumentException(source + ": expected only a \"" + JOB + "\" job (worker 0 is the chief), got \""
            + job + "\"");
      }
    }
    List<String> workers = config.cluster.get(JOB);
    if (workers == null) {
      throw new IllegalArgumentException(source + ": expected a \"" + JOB + "\" list of HOST:PORT in \"cluster\", got " + json);
    }
    if (config.task.type != null && !config.task.type.equals(JOB)) {
      throw new IllegalArgumentException(source + ": expected task type \"" + JOB + "\", got \"" + config.task.type + "\"");
    }
    if (config.task.index == null) {
      throw new IllegalArgumentException(source + ": expected a task \"index\", got " + json);
    }
    try {
      return new Cluster(workers, config.task.index);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static final class TfConfig {
    Map<String, List<String>> cluster;
    Task task;
  }

  private static final class Task {
    String type;
    Integer index;
  }

  private static void checkAddress(String address) {
    int colon = address.lastIndexOf(':');
    String problem = null;
    if (colon <= 0) {
      problem = "no HOST:PORT separator";
    } else {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port < 1 || port > 65535) {
          problem = "port " + port + " outside 1..65535";
        }
      } catch (NumberFormatException e) {
        problem = "no port number";
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException("--cluster: expected HOST:PORT, got '" + address + "' (" + problem + ")");
    }
  }

  /** Tasks in the cluster. */
  public int size() {
    return addresses.size();
  }

  /** Whether this process is the chief, task 0: the one that writes checkpoints, grids and logs. */
  public boolean chief() {
    return task == 0;
  }

  /** This task's HOST:PORT. */
  public String address() {
    return addresses.get(task);
  }

  /** This task's port: where its server listens (on every interface, see {@link ListeningSockets}). */
  public int port() {
    return Integer.parseInt(address().substring(address().lastIndexOf(':') + 1));
  }

  /** The task that resolves every collective group (tf.distribute's collective_group_leader): the chief. */
  public String groupLeader() {
    return "/job:" + JOB + "/replica:0/task:0";
  }

  /** The device name prefix of this task, {@code /job:worker/task:I}: a session sees only these devices. */
  public String deviceFilter() {
    return "/job:" + JOB + "/task:" + task;
  }

  /** "worker 1 of 2 (host:port)". */
  public String describe() {
    return "worker " + task + " of " + size() + " (" + address() + (chief() ? ", the chief" : "") + ")";
  }
}
