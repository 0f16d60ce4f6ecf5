package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default preset end to end on real MNIST, through the command line: 2 steps, then
 * {@code generate} from its checkpoint, then a resumed second epoch.
 */
class TrainSmokeTest {
  @TempDir Path dir;

  @Test
  void dcganMnistTrainsGeneratesAndResumes() throws Exception {
    Path run = dir.resolve("run");
    CommandLineTest.Outcome train = CommandLineTest.run("train", "--epochs", "1", "--steps-per-epoch", "2",
        "--run-dir", run.toString(), "--threads", "2");
    assertEquals(0, train.status(), train.err());
    assertTrue(train.out().contains("Preset dcgan-mnist"), train.out());
    assertTrue(train.out().contains("Time for epoch 1 is"), train.out());
    assertFiniteLosses(train.out());
    for (String file : new String[] {"config.json", "image_at_epoch_0000.png", "image_at_epoch_0001.png", "dcgan.gif",
        "training_checkpoints/checkpoint", "training_checkpoints/ckpt-1.index",
        "training_checkpoints/ckpt-1.data-00000-of-00001"}) {
      assertTrue(Files.isRegularFile(run.resolve(file)), file + " written");
    }
    BufferedImage grid = ImageIO.read(run.resolve("image_at_epoch_0001.png").toFile());
    assertEquals(4 * 28 * 2 + 5 * 2, grid.getWidth(), "4x4 grid of 28x28 images at zoom 2 with 2 px gaps");

    Path out = dir.resolve("samples.png");
    CommandLineTest.Outcome generate = CommandLineTest.run("generate", "--run-dir", run.toString(), "--out", out.toString());
    assertEquals(0, generate.status(), generate.err());
    assertTrue(generate.out().contains("Discriminator output on a generated sample"), generate.out());
    assertTrue(Files.isRegularFile(out));

    CommandLineTest.Outcome resumed = CommandLineTest.run("train", "--epochs", "2", "--steps-per-epoch", "2",
        "--run-dir", run.toString(), "--threads", "2");
    assertEquals(0, resumed.status(), resumed.err());
    assertTrue(resumed.out().contains("Resumed from " + run.resolve("training_checkpoints/ckpt-1") + ": epoch 1 done, step 2"),
        resumed.out());
    assertTrue(resumed.out().contains("Time for epoch 2 is"), resumed.out());
    assertTrue(Files.isRegularFile(run.resolve("image_at_epoch_0002.png")));
    assertTrue(Files.readString(run.resolve("training_checkpoints/checkpoint")).startsWith("model_checkpoint_path: \"ckpt-2\""));
  }

  private static void assertFiniteLosses(String out) {
    Matcher m = Pattern.compile("Last step: d_loss (\\S+) g_loss (\\S+)").matcher(out);
    assertTrue(m.find(), out);
    for (int g = 1; g <= 2; g++) {
      double loss = Double.parseDouble(m.group(g));
      assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
    }
  }
}
