package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image-folder problems found before step 0, and the GPU fallback. */
class FolderAndDeviceTest {
  @TempDir Path dir;

  @Test
  void undecodableImagesStopTrainingBeforeAnythingIsWrittenUnlessSkipped() throws Exception {
    Path folder = dir.resolve("images");
    assertEquals(0, CommandLineTest.run("export-images", "--dataset", "mnist", "--out", folder.toString(), "--size", "64",
        "--limit", "16").status());
    Files.write(folder.resolve("zz_broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    Path run = dir.resolve("run");
    String cache = dir.resolve("cache").toString();
    CommandLineTest.Outcome stopped = CommandLineTest.run("train", "--preset", "dcgan-lego", "--data", folder.toString(),
        "--epochs", "1", "--steps-per-epoch", "1", "--batch-size", "8", "--run-dir", run.toString(), "--cache-dir", cache);
    assertEquals(1, stopped.status(), stopped.out());
    assertTrue(stopped.err().contains("1 of 17 image files cannot be used"), stopped.err());
    assertTrue(stopped.err().contains("zz_broken.png"), stopped.err());
    assertTrue(stopped.err().contains("--skip-bad-images"), stopped.err());
    assertFalse(Files.exists(run), "nothing written under the run directory");

    CommandLineTest.Outcome skipped = CommandLineTest.run("train", "--preset", "dcgan-lego", "--data", folder.toString(),
        "--epochs", "1", "--steps-per-epoch", "1", "--batch-size", "8", "--run-dir", run.toString(), "--skip-bad-images",
        "--cache-dir", cache);
    assertEquals(0, skipped.status(), skipped.err());
    assertTrue(skipped.out().contains("Skipping 1 unusable image files"), skipped.out());
    assertTrue(skipped.out().contains("zz_broken.png"), "the cache remembers which files were bad: " + skipped.out());
    assertTrue(skipped.out().contains("16 images resized to 64x64x1"), skipped.out());
    assertTrue(skipped.out().contains("Reading 16 decoded images of " + folder), "not decoded twice: " + skipped.out());
  }

  /** The reported failure: {@code data/celeba -> /mnt/disk/celeba} was "expected image files ..., found none". */
  @Test
  void folderGivenAsASymbolicLinkTrains() throws Exception {
    Path folder = dir.resolve("disk/images");
    assertEquals(0, CommandLineTest.run("export-images", "--dataset", "mnist", "--out", folder.toString(), "--size", "64",
        "--limit", "8").status());
    Path link = Files.createSymbolicLink(dir.resolve("celeba"), folder);
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", "dcgan-lego", "--data", link.toString(),
        "--epochs", "1", "--steps-per-epoch", "1", "--batch-size", "8", "--run-dir", dir.resolve("run").toString(),
        "--cache-dir", dir.resolve("cache").toString());
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("Data: " + link + ", 8 images resized to 64x64x1"), o.out());
  }

  @Test
  void folderPresetWithoutDataSaysHowToMakeOne() {
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", "wgan-gp", "--run-dir", dir.resolve("r").toString());
    assertEquals(1, o.status());
    assertTrue(o.err().contains("trains on an image folder: expected --data DIR, got none"), o.err());
    assertTrue(o.err().contains("export-images --dataset mnist --out DIR --size 64 --rgb"), o.err());
  }

  @Test
  void gpuRequestFallsBackToCpuWithAWarning() {
    // The CPU build of TensorFlow's natives has no GPU device.
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--device", "gpu", "--epochs", "1", "--steps-per-epoch", "1",
        "--batch-size", "8", "--run-dir", dir.resolve("gpu").toString());
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("Warning: no usable GPU"), o.out());
    assertTrue(o.out().contains("falling back to the CPU"), o.out());
  }

  @Test
  void badChoicesAreUsageErrors() {
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--device", "tpu");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("--device: expected one of cpu, gpu, got 'tpu'"), o.err());
    o = CommandLineTest.run("train", "--preset", "cwgan-gp", "--dataset", "cifar");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("--dataset: "), o.err());
  }
}
