package io.jgan.train.graph;

import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.ClusterServer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** Sessions on a graph, configured in one place. */
public final class Sessions {
  private Sessions() {}

  /**
   * A session on {@code graph}: on the GPU when {@code gpu} (see the run's device choice), else with
   * GPUs hidden; {@code threads} bounds TensorFlow's intra- and inter-op pools (0: TensorFlow's default).
   */
  public static Session open(Graph graph, int threads, boolean gpu) {
    return open(graph, threads, gpu, 1);
  }

  /**
   * As {@link #open(Graph, int, boolean)}, with {@code cpuDevices} CPU devices
   * ({@code /device:CPU:0 ... n-1}, virtual devices of one CPU, as tf.config's logical devices are)
   * for the towers of a replicated step. They share the session's thread pools.
   */
  public static Session open(Graph graph, int threads, boolean gpu, int cpuDevices) {
    return open(graph, threads, gpu, cpuDevices, null);
  }

  /**
   * As {@link #open(Graph, int, boolean, int)}, run by this process's TensorFlow server when
   * {@code cluster} is not null (one worker of a multi-worker run; see {@link ClusterServer}).
   */
  public static Session open(Graph graph, int threads, boolean gpu, int cpuDevices, Cluster cluster) {
    ConfigProto config = config(threads, gpu, cpuDevices);
    return cluster == null ? new Session(graph, false, config) : ClusterServer.openSession(graph, cluster, config);
  }

  /**
   * The configuration of such a session; a multi-worker run's server takes it too, as its devices
   * and thread pools are the server's.
   */
  static ConfigProto config(int threads, boolean gpu, int cpuDevices) {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (cpuDevices > 1) {
      config.putDeviceCount("CPU", cpuDevices);
    }
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    }
    if (!gpu) {
      config.putDeviceCount("GPU", 0);
    }
    return config.build();
  }
}
