package io.jgan.train.listeners;

import io.jgan.gan.SampleSpec;
import io.jgan.nn.Weight;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import io.jgan.viz.Samples;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.op.summary.WriteImageSummary;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * TensorBoard logs in {@code <run>/logs/}, written by TensorFlow's own summary ops (an
 * {@code events.out.tfevents.*} file TensorBoard reads): every {@code every} steps the step's
 * metrics as scalars (d_loss, g_loss, mean D(x), mean D(G(z)); for WGAN-GP critic_loss,
 * wasserstein, gradient_penalty, g_loss) and a histogram of every weight and bias (as seed 004
 * records them every 100 iterations); after every epoch the sample grid as an image; at the start
 * of a fresh run the graph.
 */
public final class TensorBoardLog implements TrainingListener {
  public static final String LOG_DIR = "logs";
  /** Seed 004 writes its summaries every 100 iterations. */
  public static final long EVERY_DEFAULT = 100;
  /** Events are flushed to disk at least this often. */
  static final int FLUSH_MILLIS = 10_000;

  private final long every;
  private final SampleSpec samples;
  private Session session;
  private TrainingGraph<TFloat32> graph;
  private Placeholder<TInt64> step;
  private final List<Placeholder<TFloat32>> metricInputs = new ArrayList<>();
  private Op scalars;
  private Op histograms;
  private Placeholder<TUint8> image;
  private Op imageSummary;
  private Op flush;
  private Op closeWriter;
  private Placeholder<TString> graphDef;
  private Op graphSummary;

  /** @param samples the preset's grid, logged as an image after every epoch */
  public TensorBoardLog(long every, SampleSpec samples) {
    if (every <= 0) {
      throw new IllegalArgumentException("expected a positive summary interval, got " + every);
    }
    this.every = every;
    this.samples = samples;
  }

  @Override
  public void onTrainStart(TrainingRun run) {
    graph = run.graph();
    session = run.session();
    Ops tf = graph.tf().withSubScope("summaries");
    Operand<?> writer = tf.summary.summaryWriter(SummaryWriter.sharedName("jgan_" + System.nanoTime()));
    Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(run.directory().resolve(LOG_DIR).toString()),
        tf.constant(10), tf.constant(FLUSH_MILLIS), tf.constant(".v2"));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    List<Op> writes = new ArrayList<>();
    for (String name : run.metricNames()) {
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      metricInputs.add(value);
      writes.add(tf.summary.writeScalarSummary(writer, step, tf.constant(name), value));
    }
    scalars = tf.withControlDependencies(writes).noOp();
    List<Op> histos = new ArrayList<>();
    List<Weight> weights = new ArrayList<>(graph.networks().generator().weights());
    weights.addAll(graph.networks().discriminator().weights());
    for (Weight w : weights) {
      histos.add(tf.summary.writeHistogramSummary(writer, step, tf.constant(w.path()), w.as(TFloat32.class).read(tf)));
    }
    histograms = tf.withControlDependencies(histos).noOp();
    image = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, -1)));
    Operand<TUint8> badColor = tf.dtypes.cast(tf.constant(new int[] {255, 0, 0, 255}), TUint8.class); // for NaN pixels
    imageSummary = tf.summary.writeImageSummary(writer, step, tf.constant("samples"), image, badColor,
        WriteImageSummary.maxImages(1L));
    graphDef = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    graphSummary = tf.summary.writeGraphSummary(writer, step, graphDef);
    flush = tf.summary.flushSummaryWriter(writer);
    closeWriter = tf.withControlDependencies(flush).summary.closeSummaryWriter(writer); // flush, then close
    session.run(create);
    if (run.progress().globalStep() == 0) {
      try (TInt64 s = TInt64.scalarOf(0);
           TString def = TString.tensorOfBytes(org.tensorflow.ndarray.NdArrays.scalarOfObject(
               graph.graph().toGraphDef().toByteArray()))) {
        session.runner().feed(step, s).feed(graphDef, def).addTarget(graphSummary).addTarget(flush).run();
      }
    }
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    if (globalStep % every != 0 && globalStep != 1) {
      return;
    }
    List<TFloat32> values = new ArrayList<>();
    try (TInt64 s = TInt64.scalarOf(globalStep)) {
      Session.Runner runner = session.runner().feed(step, s);
      for (int i = 0; i < metrics.length; i++) {
        TFloat32 v = TFloat32.scalarOf(metrics[i]);
        values.add(v);
        runner.feed(metricInputs.get(i), v);
      }
      runner.addTarget(scalars).addTarget(histograms).run();
    } finally {
      values.forEach(TFloat32::close);
    }
  }

  /** The weight histograms of the steps it writes. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return globalStep % every == 0 || globalStep == 1;
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    BufferedImage grid = sampleGrid(run);
    int w = grid.getWidth(), h = grid.getHeight(), c = grid.getRaster().getNumBands();
    byte[] bytes = new byte[w * h * c];
    int[] px = new int[c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        grid.getRaster().getPixel(x, y, px);
        for (int k = 0; k < c; k++) {
          bytes[(y * w + x) * c + k] = (byte) px[k];
        }
      }
    }
    try (TInt64 s = TInt64.scalarOf(run.progress().globalStep());
         TUint8 t = TUint8.tensorOf(Shape.of(1, h, w, c), DataBuffers.of(bytes, true, false))) {
      session.runner().feed(step, s).feed(image, t).addTarget(imageSummary).addTarget(flush).run();
    }
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    session.runner().addTarget(closeWriter).run();
  }

  @Override
  public void onStop(TrainingRun run) {
    onTrainEnd(run);
  }

  /** The preset's sample grid from the fixed (or given) sample latents (label 0 for a conditional preset). */
  private BufferedImage sampleGrid(TrainingRun run) {
    var inference = graph.inference();
    try (TFloat32 z = SampleGrids.latents(graph, samples, 0);
         TFloat32 labels = graph.classes() > 0 ? inference.oneHot(new int[samples.count()]) : null;
         TFloat32 images = inference.generate(session, z, labels)) {
      return Samples.render(images, graph.spec().pixelScale(), samples.rows(), samples.cols());
    }
  }
}
