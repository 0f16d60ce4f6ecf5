package io.jgan.eval;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.gan.GanSpec;
import io.jgan.train.graph.Sessions;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import io.jgan.viz.QualityPlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Sample quality during training ({@code train --eval-every N}): after every N-th epoch (and after
 * the last step, if that was not one), {@value #COUNT_DEFAULT} samples judged against the dataset's
 * test set: classifier score, Frechet distance, KID ({@value #KID_SUBSETS} subsets of 1000), the
 * smallest class share and, for a conditional run on the judge's classes, the label accuracy.
 * Written to {@value #CSV} (one row per evaluation, full precision, no timings), drawn as
 * {@value #PNG}, and logged to TensorBoard under {@code logs/quality}.
 *
 * <p>It changes nothing of training: the samples come from the run's inference ops (no dropout,
 * BatchNorm's moving statistics read, never updated) with latents from their own stream
 * ({@link io.jgan.nn.RandomSource#STREAM_EVALUATE}, keyed on the run seed and the batch, the same
 * every evaluation), the judge runs in its own SavedModel session and the summaries in a graph of
 * their own; so a resumed run's checkpoints, losses and grids stay bit-identical, and so does this
 * file's (rows after the restored step are dropped, then computed again).
 */
public final class QualityLog implements TrainingListener {
  public static final String CSV = "metrics.csv";
  public static final String PNG = "quality.png";
  public static final String LOG_DIR = "logs/quality";
  /** Samples per evaluation during training (evaluate's default is 10,000). */
  public static final int COUNT_DEFAULT = 2000;
  /** KID subsets per evaluation during training (evaluate uses 100). */
  public static final int KID_SUBSETS = 10;

  private final Path judgeDir;
  private final Dataset dataset;
  private final int every;
  private final int count;
  private final Path dataDir;
  private final int threads;
  private final boolean labelsMatchJudge;
  private Judge judge;
  private Reference reference;
  private KernelDistance kernel;
  private final List<String> rows = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();
  private long lastEvaluatedStep = -1;
  private Summaries summaries;

  /**
   * @param judgeDir the judge (its dataset's test set is the reference)
   * @param dataset the judge's dataset
   * @param every evaluate after every this many epochs
   * @param labelsMatchJudge a conditional run on the judge's classes: also the label accuracy
   */
  public QualityLog(Path judgeDir, Dataset dataset, int every, int count, Path dataDir, int threads,
      boolean labelsMatchJudge) {
    if (every <= 0 || count < 2) {
      throw new IllegalArgumentException("expected a positive interval and at least 2 samples, got " + every + ", " + count);
    }
    this.judgeDir = judgeDir;
    this.dataset = dataset;
    this.every = every;
    this.count = count;
    this.dataDir = dataDir;
    this.threads = threads;
    this.labelsMatchJudge = labelsMatchJudge;
  }

  /**
   * The quality log a run gets: for runs on MNIST or Fashion-MNIST, judged by
   * {@code savedmodels/judge-DATASET}, every {@code every} epochs (a preset's {@code evalEvery},
   * chosen so that evaluating costs at most 5% of the training time); null when {@code every} is 0
   * or the run trains on an image folder or a program's own data (no judge applies).
   */
  public static QualityLog forRun(String datasetName, int classes, int every, Path dataDir, int threads) {
    if (every == 0 || datasetName == null) {
      return null;
    }
    Dataset dataset;
    try {
      dataset = Dataset.parse(datasetName);
    } catch (BadInputException e) {
      return null; // an image folder: which judge applies is not known
    }
    return new QualityLog(Path.of("savedmodels", "judge-" + dataset.dirName()), dataset, every, COUNT_DEFAULT, dataDir,
        threads, classes == dataset.numClasses());
  }

  public int every() {
    return every;
  }

  @Override
  public void onTrainStart(TrainingRun run) {
    long started = System.nanoTime();
    try {
      judge = Judge.load(judgeDir, threads);
      DataFetcher.ensurePresent(dataset, dataDir);
      reference = Reference.of(judge, dataset.load(dataDir, false));
    } catch (BadInputException e) {
      run.out().println("Sample quality will not be measured: " + e.getMessage());
      closeJudge();
      return;
    }
    kernel = new KernelDistance(threads);
    readRows(run.directory().resolve(CSV), run.progress().globalStep());
    summaries = new Summaries(run.directory().resolve(LOG_DIR), labelsMatchJudge);
    run.out().printf(Locale.ROOT, "Sample quality every %d epoch%s: %d samples judged by %s against the %d %s test images "
        + "(%s; %.1f s to prepare)%n", every, every == 1 ? "" : "s", count, judgeDir, reference.outputs().count(),
        dataset, CSV, (System.nanoTime() - started) / 1e9);
    evaluateMissedEpoch(run);
  }

  /**
   * A run killed after saving an epoch's checkpoint but before evaluating that epoch resumes past
   * it: the session now holds exactly those weights, so the missing row is computed here and the
   * file ends as it would have straight through.
   */
  private void evaluateMissedEpoch(TrainingRun run) {
    var p = run.progress();
    if (p.globalStep() > 0 && p.stepInEpoch() == 0 && p.epoch() % every == 0
        && values.stream().noneMatch(v -> v[1] == p.globalStep())) {
      evaluate(run, p.epoch(), Double.NaN);
    }
  }

  /** Evaluates at epoch ends only, where a run of several steps never reaches past. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return false;
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    if (judge != null && epoch % every == 0) {
      evaluate(run, epoch, seconds);
    }
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    if (judge != null && run.progress().globalStep() != lastEvaluatedStep
        && (values.isEmpty() || run.progress().globalStep() > (long) values.get(values.size() - 1)[1])) {
      evaluate(run, run.progress().epoch() + (run.progress().stepInEpoch() > 0 ? 1 : 0), Double.NaN);
    }
    closeJudge();
    if (summaries != null) {
      summaries.close();
      summaries = null;
    }
  }

  private void evaluate(TrainingRun run, long epoch, double epochSeconds) {
    long started = System.nanoTime();
    GanSpec spec = run.graph().spec();
    int classes = run.graph().classes();
    Judging.GeneratorSpec generator = new Judging.GeneratorSpec(spec.latentPrior(), spec.latentDim(), classes,
        spec.pixelScale(), spec.imageShape().asArray());
    var inference = run.graph().inference();
    Judging.Judged judged = Judging.samples((latents, labels) -> inference.generate(run.session(), latents, labels),
        generator, judge, count, run.graph().seed());
    QualityMetrics m = Quality.measure(judged.outputs(), labelsMatchJudge ? judged.requested() : null, judge.classes(),
        reference, kernel, new Quality.KidSettings(KID_SUBSETS, KernelDistance.SUBSET_SIZE_DEFAULT, run.graph().seed()));
    long step = run.progress().globalStep();
    lastEvaluatedStep = step;
    double[] row = {epoch, step, m.classifierScore(), m.frechetDistance(), m.kid(), m.kidStd(), m.minClassShare(),
        m.labelAccuracy() == null ? Double.NaN : m.labelAccuracy()};
    values.add(row);
    StringBuilder line = new StringBuilder().append(epoch).append(',').append(step).append(',').append(count);
    for (int i = 2; i < (labelsMatchJudge ? 8 : 7); i++) {
      line.append(',').append(Double.toString(row[i]));
    }
    rows.add(line.toString());
    AtomicFiles.writeString(run.directory().resolve(CSV), header() + "\n" + String.join("\n", rows) + "\n");
    plot(run);
    summaries.write(step, m);
    double seconds = (System.nanoTime() - started) / 1e9;
    run.out().printf(Locale.ROOT, "Sample quality after epoch %d: classifier score %.3f, Frechet distance %.3f, "
        + "KID %.4f +- %.4f, smallest class share %.3f%s (%.1f s%s)%n", epoch, m.classifierScore(), m.frechetDistance(),
        m.kid(), m.kidStd(), m.minClassShare(),
        m.labelAccuracy() == null ? "" : String.format(Locale.ROOT, ", label accuracy %.3f", m.labelAccuracy()), seconds,
        Double.isNaN(epochSeconds) ? "" : String.format(Locale.ROOT, ", %.1f%% of the epoch's %.0f s",
            100 * seconds / epochSeconds, epochSeconds));
  }

  private String header() {
    return "epoch,step,count,classifier_score,frechet_distance,kid,kid_std,min_class_share"
        + (labelsMatchJudge ? ",label_accuracy" : "");
  }

  /** Keeps the rows of an earlier session up to the restored step; a file of another layout is started over. */
  private void readRows(Path file, long restoredStep) {
    if (!Files.exists(file) || restoredStep == 0) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(header())) {
        return;
      }
      for (String l : lines.subList(1, lines.size())) {
        String[] cells = l.split(",");
        if (cells.length < 8 || Long.parseLong(cells[1]) > restoredStep) {
          continue;
        }
        double[] row = new double[8];
        row[0] = Double.parseDouble(cells[0]);
        row[1] = Double.parseDouble(cells[1]);
        for (int i = 3; i < cells.length; i++) {
          row[i - 1] = Double.parseDouble(cells[i]);
        }
        if (cells.length == 8) {
          row[7] = Double.NaN;
        }
        rows.add(l);
        values.add(row);
      }
    } catch (IOException | RuntimeException e) {
      rows.clear();
      values.clear(); // unreadable: the evaluations of this session start it over
    }
  }

  private void plot(TrainingRun run) {
    int n = values.size();
    double[] x = new double[n];
    double[] fid = new double[n];
    double[] score = new double[n];
    double[] accuracy = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = values.get(i)[0];
      fid[i] = values.get(i)[3];
      score[i] = values.get(i)[2];
      accuracy[i] = values.get(i)[7] * 10;
    }
    Map<String, double[]> right = new LinkedHashMap<>();
    right.put("classifier score", score);
    if (labelsMatchJudge) {
      right.put("label accuracy x 10", accuracy);
    }
    QualityPlot.write(run.directory().resolve(PNG), run.graph().spec().name() + " sample quality (" + count
        + " samples, judge " + judgeDir.getFileName() + ")", x, "Frechet distance", Map.of("Frechet distance", fid),
        "classifier score", right);
  }

  private void closeJudge() {
    if (kernel != null) {
      kernel.close();
      kernel = null;
    }
    if (judge != null) {
      judge.close();
      judge = null;
    }
  }

  /** TensorBoard scalars in a graph and session of their own. */
  private static final class Summaries implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TInt64> step;
    private final List<Placeholder<TFloat32>> inputs = new ArrayList<>();
    private final Op write;
    private final Op close;

    Summaries(Path dir, boolean withAccuracy) {
      Ops tf = Ops.create(graph);
      Operand<?> writer = tf.summary.summaryWriter(SummaryWriter.sharedName("jgan_quality_" + System.nanoTime()));
      Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toString()), tf.constant(10),
          tf.constant(10_000), tf.constant(".v2"));
      step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      List<Op> writes = new ArrayList<>();
      List<String> tags = new ArrayList<>(List.of("quality/classifier_score", "quality/frechet_distance", "quality/kid",
          "quality/min_class_share"));
      if (withAccuracy) {
        tags.add("quality/label_accuracy");
      }
      for (String tag : tags) {
        Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        inputs.add(value);
        writes.add(tf.summary.writeScalarSummary(writer, step, tf.constant(tag), value));
      }
      Op flush = tf.withControlDependencies(writes).summary.flushSummaryWriter(writer);
      write = flush;
      close = tf.summary.closeSummaryWriter(writer);
      session = Sessions.open(graph, 1, false);
      session.run(create);
    }

    void write(long globalStep, QualityMetrics m) {
      double[] v = {m.classifierScore(), m.frechetDistance(), m.kid(), m.minClassShare(),
          m.labelAccuracy() == null ? Double.NaN : m.labelAccuracy()};
      List<TFloat32> tensors = new ArrayList<>();
      try (TInt64 s = TInt64.scalarOf(globalStep)) {
        Session.Runner runner = session.runner().feed(step, s);
        for (int i = 0; i < inputs.size(); i++) {
          TFloat32 t = TFloat32.scalarOf((float) v[i]);
          tensors.add(t);
          runner.feed(inputs.get(i), t);
        }
        runner.addTarget(write).run();
      } finally {
        tensors.forEach(TFloat32::close);
      }
    }

    @Override
    public void close() {
      try {
        session.run(close);
      } catch (RuntimeException e) {
        throw new UncheckedIOException(new IOException("cannot close the quality log's events file: " + e.getMessage(), e));
      } finally {
        session.close();
        graph.close();
      }
    }
  }
}
