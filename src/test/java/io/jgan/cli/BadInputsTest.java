package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.data.Dataset;
import io.jgan.data.RealData;
import io.jgan.run.RunLock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md scenarios 8, 10 and 12 and the option checks through {@code train}: each bad
 * input is a clear error (the file, what was expected, what was found) before step 0, and nothing
 * is written under the run directory (a resumed one keeps every byte; only the lock file, which
 * names the last process that tried, may appear).
 */
class BadInputsTest {
  @TempDir Path dir;

  private static final Path MNIST = RealData.ensure(Dataset.MNIST).resolve("mnist");

  /** A copy of the real MNIST directory with {@code train-images-idx3-ubyte} replaced. */
  private Path dataDirWithTrainImages(String name, byte[] trainImages) throws Exception {
    Path dataDir = dir.resolve(name);
    Path mnist = Files.createDirectories(dataDir.resolve("mnist"));
    for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Files.copy(MNIST.resolve(f), mnist.resolve(f));
    }
    Files.write(mnist.resolve("train-images-idx3-ubyte"), trainImages);
    return dataDir;
  }

  private static byte[] realTrainImages() throws Exception {
    return Files.readAllBytes(MNIST.resolve("train-images-idx3-ubyte"));
  }

  /** Trains gan-tf1 on {@code dataDir} into a fresh run directory; checks it failed and wrote nothing. */
  private CommandLineTest.Outcome refusedFresh(int status, String... extra) {
    Path run = dir.resolve("run");
    List<String> args = new ArrayList<>(List.of("train", "--steps", "2", "--run-dir", run.toString()));
    args.addAll(List.of(extra));
    if (!args.contains("--preset")) {
      args.addAll(List.of("--preset", "gan-tf1"));
    }
    CommandLineTest.Outcome o = CommandLineTest.run(args.toArray(String[]::new));
    assertEquals(status, o.status(), o.out() + o.err());
    assertFalse(Files.exists(run), "nothing written under the run directory: " + o.err());
    return o;
  }

  @Test
  void wrongMagicNumber() throws Exception {
    byte[] images = realTrainImages();
    images[3] = 1; // 0x00000801 instead of 0x00000803
    Path data = dataDirWithTrainImages("magic", images);
    CommandLineTest.Outcome o = refusedFresh(1, "--data-dir", data.toString());
    assertEquals("error: " + data.resolve("mnist/train-images-idx3-ubyte") + ": expected magic number 0x00000803 (images,"
        + " unsigned byte, 3 dimensions), got 0x00000801 (unsigned byte, 1 dimension, like a label file)", o.err().strip());
  }

  @Test
  void dataShorterThanTheHeaderSays() throws Exception {
    byte[] images = realTrainImages();
    Path data = dataDirWithTrainImages("short", java.util.Arrays.copyOf(images, images.length - 784));
    CommandLineTest.Outcome o = refusedFresh(1, "--data-dir", data.toString());
    assertEquals("error: " + data.resolve("mnist/train-images-idx3-ubyte") + ": expected 47040000 bytes of data after the"
        + " 16-byte header (60000 x 28 x 28), got 47039216", o.err().strip());
  }

  @Test
  void truncatedGzipIsDetectedByItsMagicBytesNotItsName() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(realTrainImages());
    }
    byte[] all = gz.toByteArray();
    Path data = dataDirWithTrainImages("gzip", java.util.Arrays.copyOf(all, all.length / 2));
    CommandLineTest.Outcome o = refusedFresh(1, "--data-dir", data.toString());
    assertTrue(o.err().startsWith("error: " + data.resolve("mnist/train-images-idx3-ubyte")), o.err());
    assertTrue(o.err().toLowerCase().contains("gzip"), o.err());
  }

  @Test
  void imageAndLabelCountsDiffer() throws Exception {
    byte[] images = realTrainImages();
    ByteBuffer header = ByteBuffer.wrap(images);
    header.putInt(4, 59_999); // one image fewer than the 60,000 labels
    Path data = dataDirWithTrainImages("count", java.util.Arrays.copyOf(images, images.length - 784));
    CommandLineTest.Outcome o = refusedFresh(1, "--data-dir", data.toString());
    assertTrue(o.err().contains("59999") && o.err().contains("60000"), o.err());
  }

  @Test
  void impossibleOptionValues() {
    assertTrue(refusedFresh(2, "--batch-size", "0").err().contains("--batch-size: expected an integer >= 1, got 0"));
    assertTrue(refusedFresh(2, "--epochs", "-1").err().contains("--epochs: expected an integer >= 1, got -1"));
    assertTrue(refusedFresh(2, "--keep", "-3").err().contains("--keep: expected an integer >= 0, got -3"));
    assertTrue(refusedFresh(2, "--preset", "nope").err().contains("unknown preset 'nope': expected one of"));
  }

  @Test
  void attributeCsvWithAValueOtherThanMinusOneOrOne() throws Exception {
    Path folder = dir.resolve("images");
    assertEquals(0, CommandLineTest.run("export-images", "--dataset", "mnist", "--out", folder.toString(), "--size", "32",
        "--limit", "8").status());
    Path csv = folder.resolve("list_attr_celeba.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    lines.set(3, lines.get(3).replaceFirst(",-1,", ",2,"));
    Files.write(csv, lines);
    Path run = dir.resolve("run");
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", "cwgan-gp", "--data", folder.toString(),
        "--label-csv", csv.toString(), "--label", "digit_1", "--epochs", "1", "--run-dir", run.toString());
    assertEquals(1, o.status(), o.out());
    assertEquals("error: " + csv + " line 4: expected 1 or -1 for digit_0, got '2'", o.err().strip());
    assertFalse(Files.exists(run));
  }

  /** A finished 2-step gan-tf1 run, its files and their digests. */
  private Path trainedRun(String name, String preset) {
    Path run = dir.resolve(name);
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", preset, "--steps", "2", "--steps-per-epoch", "2",
        "--epochs", "1", "--batch-size", "8", "--run-dir", run.toString());
    assertEquals(0, o.status(), o.err());
    return run;
  }

  @Test
  void checkpointsWithoutAStateFileAreNeverTrainedOver() throws Exception {
    Path run = trainedRun("stateless", "gan-tf1");
    Files.delete(run.resolve("training_checkpoints/checkpoint"));
    Map<String, String> before = digests(run);
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", "gan-tf1", "--steps", "4", "--run-dir", run.toString());
    assertEquals(1, o.status(), o.out());
    assertEquals("error: " + run.resolve("training_checkpoints") + ": holds checkpoint files but no 'checkpoint' state file"
        + " naming the latest; refusing to start over on top of them (--fallback resumes from the newest complete one,"
        + " --fresh archives them and starts over)", o.err().strip());
    assertEquals(before, digests(run));
  }

  @Test
  void stateFilePointingOutsideTheRunDirectory() throws Exception {
    Path run = trainedRun("outside", "gan-tf1");
    Path state = run.resolve("training_checkpoints/checkpoint");
    Files.writeString(state, "model_checkpoint_path: \"../../elsewhere/ckpt-1\"\n");
    Map<String, String> before = digests(run);
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", "gan-tf1", "--steps", "4", "--run-dir", run.toString());
    assertEquals(1, o.status(), o.out());
    assertTrue(o.err().startsWith("error: " + state + " line 1: expected a checkpoint inside "), o.err());
    assertTrue(o.err().contains("(refusing a path outside the checkpoint directory)"), o.err());
    assertEquals(before, digests(run));
  }

  /** A latent size that differs from the checkpoint's is in StrictRestoreTest (the first kernel's shape). */
  @Test
  void checkpointOfAnotherModel() throws Exception {
    // gan-tf1's checkpoint under a run that says dcgan-mnist.
    Path donor = trainedRun("donor", "gan-tf1");
    Path run = trainedRun("target", "dcgan-mnist");
    Path ckpts = run.resolve("training_checkpoints");
    try (Stream<Path> files = Files.list(ckpts)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    try (Stream<Path> files = Files.list(donor.resolve("training_checkpoints"))) {
      for (Path f : files.toList()) {
        Files.copy(f, ckpts.resolve(f.getFileName()));
      }
    }
    Map<String, String> before = digests(run);
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--steps", "4", "--run-dir", run.toString());
    assertEquals(1, o.status(), o.out());
    assertTrue(o.err().startsWith("error: " + ckpts.resolve("ckpt-1") + ": cannot restore"), o.err());
    assertTrue(o.err().contains("missing generator/1_batchnormalization/gamma (expected at generator/_functional/_operations/2/gamma)"),
        o.err());
    assertTrue(o.err().contains("(--fallback resumes from the newest checkpoint that restores)"), o.err());
    assertEquals(before, digests(run));
  }

  private static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().equals(RunLock.FILE_NAME)) {
          out.put(root.relativize(p).toString(),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }
}
