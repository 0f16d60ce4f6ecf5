package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.PixelScale;
import io.jgan.api.Generator;
import io.jgan.gan.GeneratorInfo;
import io.jgan.gan.Preset;
import io.jgan.nn.RandomSource;
import io.jgan.run.ExportInfo;
import io.jgan.run.TrainConfig;
import io.jgan.train.graph.Inference;
import io.jgan.train.graph.InferenceGraph;
import io.jgan.train.graph.LatentSampler;
import io.jgan.train.graph.Probe;
import io.jgan.train.graph.Tensors;
import io.jgan.train.loop.RunDirectory;
import io.jgan.viz.GifWriter;
import io.jgan.viz.ImageGrid;
import io.jgan.viz.Samples;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * {@code generate}: samples from a run's latest checkpoint (the tutorial's non-training mode, which
 * also prints D's output on a sample) or from an exported SavedModel. Latent vectors are keyed on
 * {@code --seed}: the same seed gives the same images, from a run and from its export alike.
 */
public final class GenerateCommand extends Command {
  /** The tutorial's {@code num_examples_to_generate}. */
  public static final int COUNT_DEFAULT = 16;
  public static final long SEED_DEFAULT = 0;
  public static final String OUT_DEFAULT = "generated.png";
  public static final String GIF_DEFAULT = "generated.gif";

  /** How the images are written. */
  enum Layout { GRID, SEPARATE }

  record Settings(Path runDir, Path model, int count, long seed, Integer label, Path out, Layout layout, int interpolate) {}

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "write samples from a run's latest checkpoint or an exported SavedModel";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("run-dir", "DIR", "sample from this run's latest checkpoint"))
        .addOption(valued("model", "DIR", "sample from a SavedModel written by export (e.g. savedmodels/dcgan-mnist)"))
        .addOption(valued("count", "N", "how many images, or latent points to walk through with --interpolate (default "
            + COUNT_DEFAULT + ")"))
        .addOption(valued("seed", "N", "seed of the latent vectors; the same seed gives the same images (default " + SEED_DEFAULT + ")"))
        .addOption(valued("label", "L", "class of every sample, for conditional presets (default: cycle through the classes)"))
        .addOption(valued("out", "FILE", "the PNG (or GIF with --interpolate) to write (default " + OUT_DEFAULT
            + " in the run directory, or the current directory for --model)"))
        .addOption(flag("grid", "one PNG with all the images (default)"))
        .addOption(flag("separate", "one PNG per image: FILE_0001.png, FILE_0002.png, ..."))
        .addOption(valued("interpolate", "STEPS", "write a GIF walking between --count latent points, STEPS frames "
            + "between each two (spherical interpolation)"));
  }

  static Settings parse(CommandLine line) {
    boolean fromRun = line.hasOption("run-dir");
    boolean fromModel = line.hasOption("model");
    if (fromRun == fromModel) {
      throw new UsageException("expected exactly one of --run-dir DIR or --model DIR, got " + (fromRun ? "both" : "neither"));
    }
    if (line.hasOption("grid") && line.hasOption("separate")) {
      throw new UsageException("--grid and --separate: expected one layout, got both");
    }
    Path runDir = fromRun ? Path.of(line.getOptionValue("run-dir")) : null;
    Path model = fromModel ? Path.of(line.getOptionValue("model")) : null;
    int interpolate = intOption(line, "interpolate", 1, 0);
    String defaultName = interpolate > 0 ? GIF_DEFAULT : OUT_DEFAULT;
    Path out = line.hasOption("out") ? Path.of(line.getOptionValue("out"))
        : fromRun ? runDir.resolve(defaultName) : Path.of(defaultName);
    return new Settings(runDir, model,
        intOption(line, "count", interpolate > 0 ? 2 : 1, interpolate > 0 ? 4 : COUNT_DEFAULT),
        longOption(line, "seed", Long.MIN_VALUE, SEED_DEFAULT),
        line.hasOption("label") ? intOption(line, "label", 0, 0) : null,
        out, line.hasOption("separate") ? Layout.SEPARATE : Layout.GRID, interpolate);
  }

  /**
   * Images from latents (and labels), as the source produces them, with what is needed to render
   * them; {@code evaluate} judges the same sources.
   */
  interface Source extends AutoCloseable {
    /** The generator's name, latent space and sample shape. */
    GeneratorInfo info();

    int classes();

    /** Images [n, h, w, c] in {@link #scale()}. */
    TFloat32 generate(TFloat32 latents, TFloat32 labels);

    PixelScale scale();

    /** One-hot rows [n, classes] for class indices, checked against the classes. */
    default TFloat32 oneHot(int[] labels) {
      return Tensors.oneHot(labels, classes(), TFloat32.class);
    }

    @Override
    void close();
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    try (Source source = s.runDir() != null ? runSource(s.runDir(), out, true) : modelSource(s.model(), out)) {
      int classes = source.classes();
      if (s.label() != null && classes == 0) {
        throw new UsageException("--label: " + source.info().name() + " is not conditional");
      }
      if (s.label() != null && s.label() >= classes) {
        throw new UsageException("--label: expected a class in [0, " + classes + "), got " + s.label());
      }
      int n = s.count();
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = s.label() != null ? s.label() : classes > 0 ? i % classes : 0;
      }
      try (LatentSampler sampler = new LatentSampler(source.info().latentPrior(), source.info().latentDim());
           TFloat32 points = sampler.sample(s.seed(), RandomSource.STREAM_GENERATE, 0, n)) {
        if (s.interpolate() > 0) {
          interpolate(source, points, labels, s, out);
        } else {
          try (TFloat32 oneHot = classes > 0 ? source.oneHot(labels) : null;
               TFloat32 images = source.generate(points, oneHot)) {
            write(images, source.scale(), s, out);
          }
        }
      }
    }
    return OK;
  }

  private static void write(TFloat32 images, PixelScale scale, Settings s, PrintStream out) {
    long n = images.shape().size(0);
    if (s.layout() == Layout.GRID) {
      int[] grid = Samples.gridFor((int) n);
      String replaced = replacing(s.out());
      Samples.writeGrid(images, scale, grid[0], grid[1], s.out());
      out.println("Wrote " + s.out() + " (" + n + " images, seed " + s.seed() + ")" + replaced);
      return;
    }
    String stem = s.out().getFileName().toString().replaceFirst("\\.png$", "");
    int replaced = 0;
    for (int i = 0; i < n; i++) {
      Path file = s.out().resolveSibling(String.format(Locale.ROOT, "%s_%04d.png", stem, i + 1));
      replaced += Files.exists(file) ? 1 : 0;
      try (TFloat32 one = slice(images, i)) {
        Samples.writeGrid(one, scale, 1, 1, file);
      }
    }
    out.printf(Locale.ROOT, "Wrote %s_0001.png ... %s_%04d.png (seed %d)%s%n", stem, stem, n, s.seed(),
        replaced > 0 ? "; replaced " + replaced + " files of those names that were there before" : "");
  }

  /** What writing {@code file} replaces, as the end of the "Wrote" line: nothing is replaced silently. */
  private static String replacing(Path file) {
    return Files.exists(file) ? "; replaced what was there: " + Replacing.describe(file) : "";
  }

  /** A GIF walking through the latent points in order, {@code steps} frames from each to the next. */
  private static void interpolate(Source source, TFloat32 points, int[] labels, Settings s, PrintStream out) {
    int n = (int) points.shape().size(0);
    int dim = (int) points.shape().size(1);
    float[] z = new float[n * dim];
    points.copyTo(DataBuffers.of(z, false, false));
    int frames = (n - 1) * s.interpolate() + 1;
    float[] path = new float[frames * dim];
    int[] frameLabels = new int[frames];
    for (int f = 0; f < frames; f++) {
      int from = Math.min(f / s.interpolate(), n - 1);
      double t = f == frames - 1 ? 0 : (f % s.interpolate()) / (double) s.interpolate();
      int a = f == frames - 1 ? n - 1 : from;
      int b = Math.min(a + 1, n - 1);
      slerp(z, a * dim, b * dim, dim, t, path, f * dim);
      frameLabels[f] = labels[a];
    }
    List<BufferedImage> gif = new ArrayList<>();
    try (TFloat32 latents = TFloat32.tensorOf(Shape.of(frames, dim), DataBuffers.of(path, true, false));
         TFloat32 oneHot = source.classes() > 0 ? source.oneHot(frameLabels) : null;
         TFloat32 images = source.generate(latents, oneHot)) {
      long[] shape = images.shape().asArray();
      int size = (int) (shape[1] * shape[2] * shape[3]);
      float[] all = new float[frames * size];
      images.copyTo(DataBuffers.of(all, false, false));
      for (int f = 0; f < frames; f++) {
        float[] one = java.util.Arrays.copyOfRange(all, f * size, (f + 1) * size);
        gif.add(ImageGrid.render(one, 1, (int) shape[1], (int) shape[2], (int) shape[3], source.scale(), 1, 1,
            ImageGrid.zoomFor(1, (int) shape[2])));
      }
    }
    String replaced = replacing(s.out());
    GifWriter.write(gif, s.out(), GifWriter.DELAY_CENTISECONDS_DEFAULT);
    out.println("Wrote " + s.out() + " (" + frames + " frames through " + n + " latent points, seed " + s.seed() + ")"
        + replaced);
  }

  /**
   * Spherical interpolation (Shoemake 1985, as White 2016 recommends for GAN latents): from a to b
   * along the great circle, {@code sin((1-t) w) / sin w * a + sin(t w) / sin w * b} with w the angle
   * between them; linear when they are (nearly) parallel.
   */
  static void slerp(float[] z, int a, int b, int dim, double t, float[] out, int at) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < dim; i++) {
      dot += (double) z[a + i] * z[b + i];
      na += (double) z[a + i] * z[a + i];
      nb += (double) z[b + i] * z[b + i];
    }
    double cos = dot / Math.sqrt(na * nb);
    double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
    double sin = Math.sin(omega);
    double wa = sin < 1e-6 ? 1 - t : Math.sin((1 - t) * omega) / sin;
    double wb = sin < 1e-6 ? t : Math.sin(t * omega) / sin;
    for (int i = 0; i < dim; i++) {
      out[at + i] = (float) (wa * z[a + i] + wb * z[b + i]);
    }
  }

  private static TFloat32 slice(TFloat32 images, int i) {
    long[] shape = images.shape().asArray();
    TFloat32 one = TFloat32.tensorOf(Shape.of(1, shape[1], shape[2], shape[3]));
    images.get(i).copyTo(one.get(0));
    return one;
  }

  /**
   * The tutorial's generate mode: restore the latest checkpoint and, when {@code probe}, print D's
   * output on a sample.
   */
  static Source runSource(Path dir, PrintStream out, boolean probe) throws IOException {
    RunDirectory run = new RunDirectory(dir);
    if (!Files.isDirectory(run.root())) {
      throw new BadInputException(run.root() + ": expected a run directory, found nothing there");
    }
    Path latest = run.checkpointManager(0).latest().orElseThrow(() -> new BadInputException(
        run.checkpoints() + ": expected a checkpoint (train first), found none"));
    TrainConfig config = readConfig(run);
    Preset preset = config.presetDefinition();
    InferenceGraph graph = new InferenceGraph(preset, config.classes(), config.seed(), true);
    Session session = graph.openSession(config.threads());
    try {
      graph.restore(session, latest); // the networks only: no optimizer state
      out.println("Restored " + latest);
      if (probe) {
        out.println("After training:");
        out.printf(Locale.ROOT, "Discriminator output on a generated sample: %.8g%n",
            Probe.discriminatorOutput(graph.inference(), session, config.seed()));
      }
    } catch (RuntimeException e) {
      session.close();
      graph.close();
      throw e;
    }
    Inference<TFloat32> inference = graph.inference();
    return new Source() {
      public GeneratorInfo info() { return preset.generatorInfo(); }
      public int classes() { return config.classes(); }
      public TFloat32 generate(TFloat32 latents, TFloat32 labels) { return inference.generate(session, latents, labels); }
      public PixelScale scale() { return preset.pixelScale(); }
      public void close() {
        session.close();
        graph.close();
      }
    };
  }

  /** An exported SavedModel, through the Java API's {@link Generator} (images in [-1, 1]). */
  static Source modelSource(Path dir, PrintStream out) {
    ExportInfo info = ExportInfo.read(dir);
    Generator generator = Generator.load(dir);
    out.println("Loaded " + dir + " (" + info.name() + ")");
    return new Source() {
      public GeneratorInfo info() { return info.generatorInfo(); }
      public int classes() { return info.classes(); }
      public TFloat32 generate(TFloat32 latents, TFloat32 labels) { return generator.call(latents, labels); }
      public PixelScale scale() { return PixelScale.TANH; }
      public void close() {
        generator.close();
      }
    };
  }

  /** The run's configuration (config.json). */
  static TrainConfig readConfig(RunDirectory run) throws IOException {
    if (!Files.exists(run.config())) {
      throw new BadInputException(run.config() + ": expected the run's configuration, found nothing there");
    }
    return TrainConfig.fromJson(Files.readString(run.config(), StandardCharsets.UTF_8), run.config().toString());
  }
}
