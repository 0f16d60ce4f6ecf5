package io.jgan.train;

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
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    }
    if (!gpu) {
      config.putDeviceCount("GPU", 0);
    }
    return new Session(graph, false, config.build());
  }
}
