package io.jgan.train.graph;

import io.jgan.gan.GanSpec;
import io.jgan.nn.Trackable;
import io.jgan.nn.Weight;
import io.jgan.store.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A graph for using a trained GAN, not training it: the generator (and, for the tutorial's
 * generate mode, the discriminator) in inference mode, restored from a run's checkpoint. No
 * optimizer, no train step, no second-order gradients: {@code generate} and {@code export} build
 * this, not a {@link TrainingGraph}.
 */
public final class InferenceGraph implements AutoCloseable {
  private final Graph graph;
  private final Ops tf;
  private final GanNetworks<TFloat32> networks;
  private final Inference<TFloat32> inference;
  private final Checkpoint checkpoint;

  /**
   * @param withDiscriminator also build D (to print its output on a sample, as the tutorial does)
   */
  public InferenceGraph(GanSpec spec, int classes, long seed, boolean withDiscriminator) {
    graph = new Graph();
    try {
      tf = Ops.create(graph);
      networks = GanNetworks.build(tf, spec, classes, seed, TFloat32.class, withDiscriminator);
      inference = new Inference<>(tf, networks);
      Map<String, Trackable> roots = new LinkedHashMap<>();
      roots.put(TrainingGraph.GENERATOR, networks.generator());
      if (withDiscriminator) {
        roots.put(TrainingGraph.DISCRIMINATOR, networks.discriminator());
      }
      checkpoint = new Checkpoint(tf, roots, SavedRun.INTEGER_KEYS, SavedRun.TEXT_KEYS);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public Session openSession(int threads) {
    return Sessions.open(graph, threads, false);
  }

  /** Restores the networks this graph holds from a run's checkpoint (explicitly partial: no optimizer state). */
  public SavedRun restore(Session session, Path prefix) {
    List<String> roots = networks.discriminator() != null
        ? List.of(TrainingGraph.GENERATOR, TrainingGraph.DISCRIMINATOR) : List.of(TrainingGraph.GENERATOR);
    return SavedRun.of(checkpoint.restore(session, prefix, new java.util.LinkedHashSet<>(roots)));
  }

  /** The current values of {@code weights} (of this graph), as tensors the caller closes. */
  public List<TFloat32> values(Session session, List<Weight> weights) {
    Session.Runner runner = session.runner();
    weights.forEach(w -> runner.fetch(w.as(TFloat32.class).read(tf)));
    List<TFloat32> out = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < weights.size(); i++) {
        out.add(Tensors.copy(r.get(i)));
      }
    }
    return out;
  }

  public Inference<TFloat32> inference() {
    return inference;
  }

  public GanNetworks<TFloat32> networks() {
    return networks;
  }

  @Override
  public void close() {
    graph.close();
  }
}
