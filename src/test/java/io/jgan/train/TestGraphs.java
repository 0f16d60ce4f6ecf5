package io.jgan.train;

import io.jgan.gan.GanSpec;
import io.jgan.nn.Weight;
import io.jgan.optim.Adam;
import io.jgan.optim.Optimizer;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.types.TFloat32;

/** Short forms for tests that build training graphs. */
public final class TestGraphs {
  private TestGraphs() {}

  /** An unconditional float32 graph with the paper's GP alphas. */
  public static TrainingGraph<TFloat32> float32(GanSpec spec, long seed, int batchSize) {
    return TrainingGraph.float32(spec, seed, batchSize, 0, false);
  }

  public static TrainingGraph<TFloat32> float32(GanSpec spec, long seed, int batchSize, int classes) {
    return TrainingGraph.float32(spec, seed, batchSize, classes, false);
  }

  /** Every variable of both networks (generator then discriminator). */
  public static List<Weight> networkWeights(TrainingGraph<?> g) {
    List<Weight> all = new ArrayList<>(g.networks().generator().weights());
    all.addAll(g.networks().discriminator().weights());
    return all;
  }

  /** The presets' optimizers are Adams. */
  @SuppressWarnings("unchecked")
  public static Adam<TFloat32> adam(Optimizer<TFloat32> optimizer) {
    return (Adam<TFloat32>) optimizer;
  }
}
