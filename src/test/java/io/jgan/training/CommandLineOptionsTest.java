package io.jgan.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.InvalidSettingException;
import io.jgan.data.ArraySource;
import io.jgan.gan.Gan;
import io.jgan.gan.Losses;
import io.jgan.gan.Steps;
import io.jgan.nn.Dense;
import io.jgan.nn.Flatten;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.run.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/** {@link Training.Builder#commandLine}: each common option reaches the run's settings, and nothing else does. */
class CommandLineOptionsTest {
  @TempDir Path dir;

  private static Gan pointsGan() {
    return Gan.builder("points").imageShape(Shape.of(2)).latent(2)
        .networks(() -> new Sequential("generator", Shape.of(2)).add(new Dense(2)),
            () -> new Sequential("discriminator", Shape.of(2)).add(new Dense(1)))
        .optimizer(Adam.Settings.keras(1e-3)).step(Steps.simultaneous(Losses.hinge())).build();
  }

  @Test
  void everyCommonOptionSetsItsValue() {
    TrainConfig.Overrides o = Training.of(pointsGan()).commandLine("--epochs", "7", "--steps", "11", "--steps-per-epoch",
        "5", "--batch-size", "16", "--seed", "3", "--threads", "2", "--data", "data/faces").overrides();
    assertEquals(7, o.epochs());
    assertEquals(11L, o.maxSteps());
    assertEquals(5, o.stepsPerEpoch());
    assertEquals(16, o.batchSize());
    assertEquals(3L, o.seed());
    assertEquals(2, o.threads());
    assertEquals(TrainConfig.FOLDER, o.dataset());
    assertEquals("data/faces", o.data());
  }

  @Test
  void optionsNotGivenKeepWhatTheProgramSet() {
    TrainConfig.Overrides o = Training.of(pointsGan()).imageFolder(Path.of("data/mine")).batchSize(8)
        .commandLine("--steps", "3").overrides();
    assertEquals("data/mine", o.data());
    assertEquals(8, o.batchSize());
    assertNull(o.epochs());
  }

  @Test
  void dataReplacesTheProgramsOwnArrays() {
    // A folder given on the command line wins over the arrays the program set: training looks for it
    // (and fails on it, before the run directory is touched) instead of training on the arrays.
    Gan images = pointsGan().toBuilder().imageShape(Shape.of(2, 1, 1))
        .networks(() -> new Sequential("generator", Shape.of(2)).add(new Dense(2)).add(new Reshape(2, 1, 1)),
            () -> new Sequential("discriminator", Shape.of(2, 1, 1)).add(new Flatten()).add(new Dense(1)))
        .build();
    Path missing = dir.resolve("no-such-folder");
    Path runDir = dir.resolve("run");
    Training.Builder run = Training.of(images).data(ArraySource.rows(new float[][] {{0, 1}, {1, 0}}, Shape.of(2, 1, 1)))
        .runDir(runDir).commandLine("--data", missing.toString(), "--steps", "1");
    BadInputException e = assertThrows(BadInputException.class, run::train);
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(runDir.resolve("config.json")), "nothing written before the data is found");
  }

  @Test
  void refusesAFolderForAGanOfPoints() {
    Training.Builder run = Training.of(pointsGan()).runDir(dir.resolve("run")).commandLine("--data", dir.toString());
    BadInputException e = assertThrows(BadInputException.class, run::train);
    assertTrue(e.getMessage().contains("expected an image shape [height, width, channels] to train on an image folder, "
        + "got [2]"), e.getMessage());
  }

  @Test
  void refusesAnUnknownOptionNamingTheKnownOnes() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> Training.of(pointsGan()).commandLine("--folder", "x"));
    assertTrue(e.getMessage().contains("--folder") && e.getMessage().contains("--data"), e.getMessage());
  }

  @Test
  void refusesAWordThatIsNoOption() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> Training.of(pointsGan()).commandLine("--steps", "3", "data/faces"));
    assertTrue(e.getMessage().contains("'data/faces'"), e.getMessage());
  }
}
