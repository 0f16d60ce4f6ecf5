package io.jgan.train.distributed;

import io.jgan.BadInputException;
import java.lang.reflect.Constructor;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * This process's TensorFlow server in a multi-worker run, and sessions on it: TensorFlow's own
 * distributed runtime ({@code tf.distribute.Server}), nothing of ours on the wire.
 *
 * <p>How the workers cooperate (between-graph replication, as {@code MultiWorkerMirroredStrategy}):
 * every worker builds the same graph with its own towers on its own task's devices
 * ({@code /job:worker/task:I}) and runs its own session on its own server; the only traffic
 * between them is the collective all-reduce of each step's gradients (and of synchronised
 * BatchNorm statistics and the metrics), which TensorFlow's collective executor carries over gRPC,
 * its groups resolved by the chief ({@code collective_group_leader}). Each worker keeps a whole copy
 * of the variables and applies the same averaged update, so the copies stay equal without ever
 * being sent. Chosen over placing every tower from the chief ({@code /job:worker/task:i} in one
 * graph, TF1's in-graph replication): there the chief would ship the weights to every worker and
 * the batches too, every step, and a worker would have no run of its own to stop or report with.
 *
 * <p>A session here sees only its own task's devices ({@code device_filters}), so ops without a
 * device (variables, the optimizer update) stay on this task, as tf.distribute configures it.
 *
 * <p>TensorFlow Java's {@code Session} takes no target; the session is made with the C API's
 * {@code TF_SetTarget} and handed to {@code Session}'s package-private constructor by reflection
 * (TensorFlow Java 1.1.0).
 *
 * <p>The server is a door: it has no authentication and listens on every interface. The addresses
 * given were checked against {@link TrustBoundary} before it starts, and it says where it listens
 * once it does ({@link ListeningSockets}).
 *
 * <p>The server is never stopped: TensorFlow cannot shut a gRPC server down cleanly (deleting a
 * started one aborts the process), so it lives as long as the process.
 */
public final class ClusterServer {
  /** This process's server, once started: a process is one task of one cluster. */
  private static ClusterServer running;

  private final Cluster cluster;
  private final ConfigProto sessionConfig;
  @SuppressWarnings("unused") // held for the life of the process, see above
  private final Server server;

  private ClusterServer(Cluster cluster, ConfigProto sessionConfig, Server server) {
    this.cluster = cluster;
    this.sessionConfig = sessionConfig;
    this.server = server;
  }

  /**
   * A session on {@code graph} on this process's server for {@code cluster}, started by the first
   * call (listening on the task's port). {@code config} is what a one-process session would get
   * (threads, devices): the server creates its devices and thread pools from the first call's.
   */
  public static synchronized Session openSession(Graph graph, Cluster cluster, ConfigProto config) {
    if (running == null) {
      running = start(cluster, config);
    } else if (!running.cluster.equals(cluster)) {
      throw new IllegalStateException("this process already serves " + running.cluster.describe() + "; expected "
          + cluster.describe() + " to be the same");
    }
    return running.openSession(graph);
  }

  private static ClusterServer start(Cluster cluster, ConfigProto config) {
    ConfigProto withLeader = config.toBuilder()
        .setExperimental(config.getExperimental().toBuilder().setCollectiveGroupLeader(cluster.groupLeader()))
        .build();
    JobDef.Builder job = JobDef.newBuilder().setName(Cluster.JOB);
    for (int t = 0; t < cluster.size(); t++) {
      job.putTasks(t, cluster.addresses().get(t));
    }
    ServerDef def = ServerDef.newBuilder()
        .setCluster(ClusterDef.newBuilder().addJob(job))
        .setJobName(Cluster.JOB)
        .setTaskIndex(cluster.task())
        .setProtocol("grpc")
        .setDefaultSessionConfig(withLeader)
        .build();
    Server server;
    try {
      server = new Server(def);
      server.start();
    } catch (RuntimeException e) {
      throw new BadInputException("cannot start the TensorFlow server of " + cluster.describe()
          + ": expected port " + cluster.port() + " to be free on this machine, got: " + e.getMessage(), e);
    }
    // Said once per process, on stderr: what is really exposed, measured from the kernel's socket table.
    System.err.println(ListeningSockets.notice(cluster.describe(), cluster.port(), ListeningSockets.on(cluster.port())));
    ConfigProto sessionConfig = withLeader.toBuilder().addDeviceFilters(cluster.deviceFilter()).build();
    return new ClusterServer(cluster, sessionConfig, server);
  }

  /** Whether this process started a server, which keeps it from ending by itself: it must exit. */
  public static synchronized boolean started() {
    return running != null;
  }

  /** A session on {@code graph} that runs on this task's server ({@code grpc://HOST:PORT}). */
  private Session openSession(Graph graph) {
    TF_Status status = tensorflow.TF_NewStatus();
    TF_SessionOptions options = tensorflow.TF_NewSessionOptions();
    try (NativeGraph g = new NativeGraph(graph)) {
      tensorflow.TF_SetTarget(options, "grpc://" + cluster.address());
      byte[] bytes = sessionConfig.toByteArray();
      try (BytePointer config = new BytePointer(bytes)) {
        tensorflow.TF_SetConfig(options, config, bytes.length, status);
      }
      check(status, "configure a session");
      TF_Session session = tensorflow.TF_NewSession(g.handle, options, status);
      check(status, "open a session on grpc://" + cluster.address());
      return wrap(graph, session);
    } finally {
      tensorflow.TF_DeleteSessionOptions(options);
      tensorflow.TF_DeleteStatus(status);
    }
  }

  private void check(TF_Status status, String what) {
    if (tensorflow.TF_GetCode(status) != 0) {
      throw new IllegalStateException(cluster.describe() + ": cannot " + what + ": " + tensorflow.TF_Message(status).getString());
    }
  }

  private static Session wrap(Graph graph, TF_Session session) {
    try {
      Constructor<Session> c = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      c.setAccessible(true);
      return c.newInstance(graph, session);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot wrap a native session in TensorFlow Java (expected version 1.1.0): " + e, e);
    }
  }
}
