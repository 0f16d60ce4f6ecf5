package io.jgan.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.data.ArraySource;
import io.jgan.gan.Gan;
import io.jgan.gan.Losses;
import io.jgan.gan.Plan;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Dense;
import io.jgan.nn.Flatten;
import io.jgan.nn.Initializers;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import io.jgan.viz.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/**
 * A program's own generator inputs for the sample grids ({@code SampleSpec.Builder.latents}, pix2pix's edge
 * maps): the grid before training shows G of exactly those rows. G here is the identity on its input
 * (a reshape and a 1x1 convolution whose kernel starts at 1), so each cell's pixels are the given values.
 */
class GivenSampleLatentsTest {
  @TempDir Path dir;

  /** Two samples of 2x2 pixels, in [-1, 1]. */
  static final float[][] GIVEN = {{-1f, 0f, 0.5f, 1f}, {1f, 0.5f, 0f, -1f}};

  static Gan identityGan() {
    return Gan.builder("given-latents").imageShape(Shape.of(2, 2, 1)).latent(4)
        .networks(() -> new Sequential("generator", Shape.of(4)).add(new Reshape(2, 2, 1))
                .add(new Conv2d(1, 1).noBias().kernelInitializer(Initializers.ones())),
            () -> new Sequential("discriminator", Shape.of(2, 2, 1)).add(new Flatten()).add(new Dense(1)))
        .optimizer(Adam.Settings.keras(1e-3)).step(Steps.simultaneous(Losses.nonSaturating())).build();
  }

  static Plan plan(float[][] latents) {
    return Plan.builder().batchSize(2).epochs(1).evalEvery(0)
        .samples(SampleSpec.grid(1, 2).everyEpoch().beforeTraining().latents(latents)
            .file("grid_%03d.png").gif("grids.gif", FrameSchedule.ALL).build())
        .build();
  }

  @Test
  void theGridBeforeTrainingShowsTheGivenRows() throws Exception {
    Training.of(identityGan(), plan(GIVEN)).data(ArraySource.rows(new float[][] {{0, 0, 0, 0}, {0, 0, 0, 0}}))
        .runDir(dir.resolve("run")).steps(1).out(new PrintStream(OutputStream.nullOutputStream())).train();
    BufferedImage grid = ImageIO.read(dir.resolve("run").resolve("grid_000.png").toFile());
    int zoom = ImageGrid.zoomFor(2, 2);
    for (int n = 0; n < 2; n++) {
      for (int k = 0; k < 4; k++) {
        int x = ImageGrid.GAP + n * (2 * zoom + ImageGrid.GAP) + (k % 2) * zoom;
        int y = ImageGrid.GAP + (k / 2) * zoom;
        int expected = (int) Math.min(255, Math.floor(GIVEN[n][k] * 127.5 + 127.5 + 0.5));  // the tanh mapping
        assertEquals(expected, grid.getRaster().getPixel(x, y, new int[1])[0], "sample " + n + ", pixel " + k);
      }
    }
  }

  @Test
  void rowsOfAnotherLengthThanTheLatentAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Training.of(identityGan(), plan(new float[][] {{0f, 0f, 0f}, {0f, 0f, 0f}})));
    assertEquals("given-latents: expected sample latents (SampleSpec latents) of 4 values, the GAN's latent size, got 3",
        e.getMessage());
  }

  @Test
  void aGridNeedsOneRowPerCell() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleSpec.grid(2, 2).everyEpoch().latents(GIVEN).file("g_%03d.png").gif("g.gif", FrameSchedule.ALL).build());
    assertEquals("expected 4 given latent rows for a 2x2 grid, got 2", e.getMessage());
  }
}
