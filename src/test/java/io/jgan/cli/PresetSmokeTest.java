package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.presets.Presets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every preset, a few steps on small real data through the command line: finite losses, the files
 * its tutorial writes (names taken from the seeds), and a checkpoint that {@code generate} uses.
 * The image-folder presets train on MNIST exported to a 64x64 folder with a CelebA-format CSV.
 */
class PresetSmokeTest {
  @TempDir static Path shared;
  static Path folder;

  @BeforeAll
  static void exportFolder() {
    folder = shared.resolve("mnist64");
    CommandLineTest.Outcome o = CommandLineTest.run("export-images", "--dataset", "mnist", "--out", folder.toString(),
        "--size", "64", "--limit", "48");
    assertEquals(0, o.status(), o.err());
  }

  static Stream<Arguments> presets() {
    String csv = "list_attr_celeba.csv";
    return Stream.of(
        Arguments.of("dcgan-fashion", List.of(), List.of("image_at_epoch_0000.png", "image_at_epoch_0001.png", "dcgan.gif")),
        Arguments.of("gan-mlp", List.of(), List.of("gan_generated_image_epoch_1.png", "gan.gif")),
        Arguments.of("gan-tf1", List.of("--steps", "2"), List.of("out/000.png", "out.gif")),
        Arguments.of("dcgan-flux", List.of(), List.of("dcgan_steps_000000.png", "dcgan_steps_000002.png", "output.gif")),
        Arguments.of("dcgan-lego", List.of("--data", "FOLDER"), List.of("generated_img_001.png", "training.gif")),
        Arguments.of("wgan-gp", List.of("--data", "FOLDER"), List.of("generated_img_001.png", "training.gif")),
        Arguments.of("cwgan-gp", List.of("--data", "FOLDER", "--label-csv", "FOLDER/" + csv, "--label", "digit_1"),
            List.of("generated_img_001_label_0.png", "generated_img_001_label_1.png", "training.gif")),
        Arguments.of("cwgan-gp", List.of("--dataset", "mnist"),
            List.of("generated_img_001_label_0.png", "generated_img_001_label_9.png", "training.gif")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("presets")
  void trainsAFewStepsAndGenerates(String preset, List<String> extra, List<String> files, @TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    List<String> args = new ArrayList<>(List.of("train", "--preset", preset, "--epochs", "1", "--steps-per-epoch", "2",
        "--batch-size", "8", "--threads", "2", "--run-dir", run.toString()));
    extra.forEach(a -> args.add(a.replace("FOLDER", folder.toString())));
    if (extra.contains("--data")) {
      args.addAll(List.of("--cache-dir", shared.resolve("cache").toString())); // not the checkout's data/cache
    }
    CommandLineTest.Outcome train = CommandLineTest.run(args.toArray(String[]::new));
    assertEquals(0, train.status(), train.err() + train.out());
    assertFiniteMetrics(train.out());
    for (String file : files) {
      assertTrue(Files.isRegularFile(run.resolve(file)), preset + " wrote " + file + "; run directory has "
          + list(run));
    }
    assertTrue(Files.isRegularFile(run.resolve("training_checkpoints/ckpt-1.index")));
    Path out = dir.resolve("generated.png");
    CommandLineTest.Outcome generate = CommandLineTest.run("generate", "--run-dir", run.toString(), "--count", "4",
        "--out", out.toString());
    assertEquals(0, generate.status(), generate.err());
    assertTrue(Files.isRegularFile(out));
  }

  @Test
  void everyPresetIsCovered() {
    List<String> covered = presets().map(a -> (String) a.get()[0]).distinct().toList();
    for (String name : Presets.names()) {
      assertTrue(name.equals("dcgan-mnist") || covered.contains(name), name + " has a smoke test (dcgan-mnist: TrainSmokeTest)");
    }
  }

  private static void assertFiniteMetrics(String out) {
    Matcher m = Pattern.compile("Last step: (.*)").matcher(out);
    assertTrue(m.find(), out);
    Matcher number = Pattern.compile("[a-z_]+ (-?[0-9.]+(?:E-?[0-9]+)?|NaN|Infinity|-Infinity)").matcher(m.group(1));
    int count = 0;
    while (number.find()) {
      double v = Double.parseDouble(number.group(1));
      assertTrue(Double.isFinite(v), "metric " + number.group(0));
      count++;
    }
    assertEquals(4, count, m.group(1));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
