package io.jgan.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgan.api.Generator;
import io.jgan.api.Images;
import io.jgan.cli.Main;
import io.jgan.data.Dataset;
import io.jgan.data.RealData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Every example program, {@code examples/NAME/Program.java}, found on disk (a new one is tested without
 * changing this class): compiled on its own against the project's classes, as Java's single-file launcher
 * does, then run as a user runs it, in a JVM of its own, for a few steps:
 * {@code java Program --steps 3 --batch-size 16 --run-dir RUN --export MODEL}. It must write a sample grid
 * (a PNG), a complete checkpoint ({@code ckpt-N.index} and {@code ckpt-N.data-00000-of-00001}, named by
 * the {@code checkpoint} state file) and an export that {@link Generator#load} loads and generates from and
 * that {@code generate --model} reads.
 *
 * <p>An example takes its data from its defaults, relative to the working directory, which holds small
 * versions of what examples/README.md prepares: {@code data/mnist64} (64 MNIST images of 64x64 and their
 * {@code list_attr_celeba.csv}, written by {@code export-images --limit 64}) and {@code data/mnist} (the
 * real IDX files). An example needing other data adds it to {@link #prepareData}.
 */
class ExamplesTest {
  /** The examples, relative to the repository root. */
  static final Path EXAMPLES = Path.of("examples");
  /** A step limit and a batch size small enough for seconds-long runs; common options every example takes. */
  static final List<String> SHORT_RUN = List.of("--steps", "3", "--batch-size", "16");
  /** Images in the small data/mnist64. */
  static final int FOLDER_IMAGES = 64;
  private static final Pattern CHECKPOINT_STATE = Pattern.compile("model_checkpoint_path: \"(ckpt-\\d+)\"");

  @TempDir static Path work;

  @BeforeAll
  static void prepareData() throws IOException {
    Path data = Files.createDirectories(work.resolve("data"));
    Path real = RealData.ensure(Dataset.MNIST);
    Files.createSymbolicLink(data.resolve("mnist"), real.resolve("mnist"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    int status = Main.run(new String[] {"export-images", "--dataset", "mnist", "--out", data.resolve("mnist64").toString(),
        "--size", "64", "--limit", String.valueOf(FOLDER_IMAGES), "--data-dir", real.toString()}, out, out);
    assertEquals(0, status, log.toString(StandardCharsets.UTF_8));
  }

  /** The example programs: every {@code .java} file one folder below {@link #EXAMPLES}, in name order. */
  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES, 2)) {
      return files.filter(f -> f.getNameCount() == EXAMPLES.getNameCount() + 2 && f.toString().endsWith(".java"))
          .sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyExampleTrainsChecksAndExports() throws IOException {
    List<Path> found = examples();
    // ring is the reference example: finding none would mean the search, not the examples, is broken.
    assertTrue(found.contains(EXAMPLES.resolve("ring").resolve("Ring.java")), "expected examples/ring/Ring.java among "
        + found);
    return found.stream().map(source -> DynamicTest.dynamicTest(source.toString(), () -> check(source)));
  }

  private static void check(Path source) throws Exception {
    String name = source.getFileName().toString().replaceFirst("\\.java$", "");
    Path example = Files.createDirectories(work.resolve(source.getParent().getFileName()));
    Path classes = Files.createDirectories(example.resolve("classes"));
    compile(source, classes);
    requireMain(classes, name, source);

    Path runDir = example.resolve("run");
    Path model = example.resolve("model");
    List<String> args = new ArrayList<>(SHORT_RUN);
    args.addAll(List.of("--run-dir", runDir.toString(), "--export", model.toString()));
    String output = run(classes, name, args, example.resolve("output.txt"));

    assertTrue(Files.isDirectory(runDir), source + " wrote no run directory " + runDir + "; output:\n" + output);
    checkGrid(source, runDir);
    checkCheckpoint(source, runDir);
    checkExport(source, model, example);
  }

  /** Compiles {@code source} alone, as the single-file launcher would, against the test classpath. */
  private static void compile(Path source, Path classes) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status = javac.run(null, diagnostics, diagnostics, "-classpath", System.getProperty("java.class.path"),
        "-d", classes.toString(), "-Xlint:none", source.toString());
    assertEquals(0, status, source + " does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));
  }

  /** The class named as the file must have {@code public static void main(String[])}. */
  private static void requireMain(Path classes, String name, Path source) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ExamplesTest.class.getClassLoader())) {
      Class<?> program;
      try {
        program = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new AssertionError(source + ": expected a class " + name + " (named as its file), found none", e);
      }
      Method main;
      try {
        main = program.getMethod("main", String[].class);
      } catch (NoSuchMethodException e) {
        throw new AssertionError(source + ": expected public static void main(String[]) in " + name + ", found none", e);
      }
      assertTrue(Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class,
          source + ": expected main to be static void, got " + main);
    }
  }

  /** Runs {@code name}'s main in its own JVM in {@link #work}; returns what it printed; fails unless it exits 0. */
  private static String run(Path classes, String name, List<String> args, Path log) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), name));
    command.addAll(args);
    Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, name + " " + String.join(" ", args) + " did not finish in 5 minutes; output:\n" + output);
    assertEquals(0, p.exitValue(), name + " " + String.join(" ", args) + " failed; output:\n" + output);
    return output;
  }

  /** Labels 0, 1, ... (cycling through the classes) one-hot: [count, classes]. */
  private static TFloat32 oneHot(int count, int classes) {
    TFloat32 labels = TFloat32.tensorOf(Shape.of(count, classes));
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < classes; c++) {
        labels.setFloat(c == i % classes ? 1f : 0f, i, c);
      }
    }
    return labels;
  }

  /**
   * At least one sample grid: a PNG besides the loss and quality plots, that decodes to a non-empty image, in
   * the run directory or a folder of it (examples/conditional-gan writes {@code samples/epoch_NNN_digit_K.png}).
   */
  private static void checkGrid(Path source, Path runDir) throws IOException {
    List<Path> grids;
    try (Stream<Path> files = Files.walk(runDir, 2)) {
      grids = files.filter(f -> f.toString().endsWith(".png"))
          .filter(f -> !List.of("losses.png", "quality.png").contains(f.getFileName().toString())).sorted().toList();
    }
    assertFalse(grids.isEmpty(), source + " wrote no sample grid (a PNG) in " + runDir);
    for (Path grid : grids) {
      BufferedImage image = ImageIO.read(grid.toFile());
      assertNotNull(image, grid + " is not a PNG that decodes");
      assertTrue(image.getWidth() > 1 && image.getHeight() > 1, grid + ": an empty image");
    }
  }

  /** The state file names a checkpoint whose two files are both there and not empty. */
  private static void checkCheckpoint(Path source, Path runDir) throws IOException {
    Path dir = runDir.resolve("training_checkpoints");
    Path state = dir.resolve("checkpoint");
    assertTrue(Files.isRegularFile(state), source + " wrote no checkpoint state file " + state);
    Matcher m = CHECKPOINT_STATE.matcher(Files.readString(state, StandardCharsets.UTF_8));
    assertTrue(m.find(), state + " names no checkpoint: " + Files.readString(state, StandardCharsets.UTF_8));
    for (String suffix : new String[] {".index", ".data-00000-of-00001"}) {
      Path file = dir.resolve(m.group(1) + suffix);
      assertTrue(Files.isRegularFile(file) && Files.size(file) > 0, source + ": the latest checkpoint lacks " + file);
    }
  }

  /**
   * The export loads and its signature makes distinct finite examples of the shape it declares; an image
   * model's {@link Images} have that shape, and the CLI's generate writes a PNG of them.
   */
  private static void checkExport(Path source, Path model, Path example) throws IOException {
    assertTrue(Files.isDirectory(model), source + " exported nothing to " + model);
    int count = 4;
    try (Generator generator = Generator.load(model)) {
      int[] shape = generator.imageShape();
      float[][] rows = generator.latents(count, 0);
      float[] latents = new float[count * generator.latentDim()];
      for (int i = 0; i < count; i++) {
        System.arraycopy(rows[i], 0, latents, i * generator.latentDim(), generator.latentDim());
      }
      float[][] examples = new float[count][];
      try (TFloat32 z = TFloat32.tensorOf(Shape.of(count, generator.latentDim()), DataBuffers.of(latents, true, false));
           TFloat32 y = generator.classes() > 0 ? oneHot(count, generator.classes()) : null;
           TFloat32 out = generator.call(z, y)) {
        long[] expected = new long[shape.length + 1];
        expected[0] = count;
        for (int k = 0; k < shape.length; k++) {
          expected[k + 1] = shape[k];
        }
        assertEquals(Shape.of(expected), out.shape(), source + ": the export's outputs against its declared shape");
        for (int i = 0; i < count; i++) {
          examples[i] = new float[Math.toIntExact(out.shape().size() / count)];
          out.get(i).copyTo(DataBuffers.of(examples[i], false, false));
          for (float v : examples[i]) {
            if (!Float.isFinite(v)) {
              fail(source + ": example " + i + " of the export holds " + v);
            }
          }
        }
      }
      assertFalse(Arrays.equals(examples[0], examples[1]), source + ": two latent vectors gave the same example");
      if (shape.length == 3) {
        Images images = generator.generate(count, 0);
        assertEquals(List.of(count, shape[0], shape[1], shape[2]),
            List.of(images.count(), images.height(), images.width(), images.channels()));
      } else {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generator.generate(count, 0));
        assertTrue(e.getMessage().contains("call(latents, labels)"), e.getMessage());
      }
    }
    Path png = example.resolve("generated.png");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    int status = Main.run(new String[] {"generate", "--model", model.toString(), "--out", png.toString()}, out, out);
    assertEquals(0, status, source + ": generate --model " + model + " failed:\n" + log.toString(StandardCharsets.UTF_8));
    assertNotNull(ImageIO.read(png.toFile()), "generate --model " + model + " wrote no PNG");
  }
}
