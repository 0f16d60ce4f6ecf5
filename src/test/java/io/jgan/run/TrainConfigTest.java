package io.jgan.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.gan.Preset;
import io.jgan.presets.Presets;
import org.junit.jupiter.api.Test;

/**
 * The one place options are bounded and merged: each bound accepts its least value and names the
 * option when given one less; a command line's values replace a preset's or a saved run's, and a
 * resumed run refuses a change to what defines it.
 */
class TrainConfigTest {
  private static final TrainConfig.Overrides NONE =
      new TrainConfig.Overrides(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, false);

  /** A configuration with every value distinct, to see which one moved where. */
  private static TrainConfig config() {
    return new TrainConfig("dcgan-mnist", 7, 3, 16, 5, 2, 1.5, 4, 2, 100, "mnist", null, null, null, 0, "uniform", "cpu", false);
  }

  private static TrainConfig.Overrides overrides(String preset, Long seed, Integer epochs, Integer batchSize, Integer stepsPerEpoch,
      Integer checkpointEvery, Double minutes, Integer keep, Integer threads, Long maxSteps, String dataset, String data,
      String labelCsv, String label, String gpAlpha, String device, boolean skip) {
    return new TrainConfig.Overrides(preset, seed, epochs, batchSize, stepsPerEpoch, checkpointEvery, minutes, keep, threads,
        maxSteps, dataset, data, labelCsv, label, gpAlpha, device, skip);
  }

  private static String refused(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void eachBoundTakesItsLeastValueAndNamesTheOptionBelowIt() {
    // epochs, batch size and checkpoint-every start at 1; steps-per-epoch, keep, threads, steps and classes at 0.
    TrainConfig least = new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, 0, 0, 0, "mnist", null, null, null, 0, "normal", "gpu", true);
    assertEquals(1, least.epochs());
    assertEquals(0.0, least.checkpointMinutes());
    assertEquals("--epochs: expected an integer >= 1, got 0", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 0, 1, 0, 1, 0.0, 0, 0, 0, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("--batch-size: expected an integer >= 1, got 0", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 0, 0, 1, 0.0, 0, 0, 0, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("--steps-per-epoch: expected an integer >= 0, got -1", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, -1, 1, 0.0, 0, 0, 0, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("--checkpoint-every: expected an integer >= 1, got 0", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 0, 0.0, 0, 0, 0, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("--keep: expected an integer >= 0, got -1", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, -1, 0, 0, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("--threads: expected an integer >= 0, got -1", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, 0, -1, 0, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("--steps: expected an integer >= 0, got -1", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, 0, 0, -1, "mnist", null, null, null, 0, null, null, false)));
    assertEquals("classes: expected an integer >= 0, got -1", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, 0, 0, 0, "mnist", null, null, null, -1, null, null, false)));
    assertEquals("--gp-alpha: expected one of uniform, normal, got 'beta'", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, 0, 0, 0, "mnist", null, null, null, 0, "beta", null, false)));
    assertEquals("--device: expected one of cpu, gpu, got 'tpu'", refused(
        () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, 0.0, 0, 0, 0, "mnist", null, null, null, 0, null, "tpu", false)));
  }

  @Test
  void checkpointMinutesDefaultsWhenAbsentAndMustBeAFiniteNumberAtLeastZero() {
    TrainConfig absent = new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, null, 0, 0, 0, "mnist", null, null, null, 0, null, null, false);
    assertEquals(10.0, absent.checkpointMinutes()); // Checkpointing.MINUTES_DEFAULT, the README's default
    for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertEquals("--checkpoint-minutes: expected a number >= 0, got " + bad, refused(
          () -> new TrainConfig("dcgan-mnist", 0, 1, 1, 0, 1, bad, 0, 0, 0, "mnist", null, null, null, 0, null, null, false)));
    }
  }

  @Test
  void defaultsAreThePresetsOwnValuesWithSeed42() {
    Preset mnist = Presets.get("dcgan-mnist");
    assertEquals(new TrainConfig("dcgan-mnist", 42, mnist.epochs(), mnist.batchSize(), 0, mnist.checkpointEvery(), 10.0, 5, 0,
        mnist.maxSteps(), "mnist", null, null, null, 0, "uniform", "cpu", false), TrainConfig.defaults(mnist));
    Preset conditional = Presets.get("cwgan-gp");
    TrainConfig folder = TrainConfig.defaults(conditional);
    assertEquals("folder", folder.dataset());
    assertEquals("Blond_Hair", folder.label()); // seed 003's label
    assertFalse(folder.normalGpAlpha());
    assertEquals("fashion-mnist", TrainConfig.defaults(Presets.get("dcgan-fashion")).dataset());
  }

  @Test
  void aCommandLineReplacesWhatItGivesAndKeepsTheRest() {
    TrainConfig base = config();
    assertEquals(base, base.with(NONE));
    TrainConfig all = base.with(overrides("ignored", 9L, 4, 32, 6, 3, 2.5, 1, 1, 200L, "folder", "/d", "/a.csv", "Smiling",
        "normal", "gpu", true));
    assertEquals(new TrainConfig("dcgan-mnist", 9, 4, 32, 6, 3, 2.5, 1, 1, 200, "folder", "/d", "/a.csv", "Smiling", 0, "normal",
        "gpu", true), all, "every value replaced but the preset (see resumedWith) and the classes (known from the data)");
    assertTrue(all.normalGpAlpha());
    TrainConfig skipping = base.with(overrides(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, true));
    assertTrue(skipping.skipBadImages());
    assertTrue(skipping.with(NONE).skipBadImages(), "--skip-bad-images, once given, is kept");
    assertEquals("--batch-size: expected an integer >= 1, got 0",
        refused(() -> base.with(overrides(null, null, null, 0, null, null, null, null, null, null, null, null, null, null, null, null,
            false))));
    assertEquals(10, base.withClasses(10).classes());
    assertEquals(base.batchSize(), base.withClasses(10).batchSize());
  }

  @Test
  void aResumedRunKeepsWhatDefinesItAndTakesTheRest() {
    TrainConfig saved = config();
    // Values that may change between sessions.
    TrainConfig resumed = saved.resumedWith(overrides(null, null, 9, null, 8, 4, 0.5, 2, 1, 300L, null, null, null, null, null, "gpu",
        false));
    assertEquals(new TrainConfig("dcgan-mnist", 7, 9, 16, 8, 4, 0.5, 2, 1, 300, "mnist", null, null, null, 0, "uniform", "gpu", false),
        resumed);
    // The same values as saved are no change.
    assertEquals(saved, saved.resumedWith(overrides("dcgan-mnist", 7L, null, 16, null, null, null, null, null, null, "mnist", null,
        null, null, "uniform", null, false)));
    assertEquals("--preset dcgan-fashion differs from the run being resumed (dcgan-mnist)", refused(() -> saved.resumedWith(
        overrides("dcgan-fashion", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, false))));
    assertEquals("--seed 8 differs from the run being resumed (7)", refused(() -> saved.resumedWith(
        overrides(null, 8L, null, null, null, null, null, null, null, null, null, null, null, null, null, null, false))));
    assertEquals("--batch-size 32 differs from the run being resumed (16)", refused(() -> saved.resumedWith(
        overrides(null, null, null, 32, null, null, null, null, null, null, null, null, null, null, null, null, false))));
    assertEquals("--dataset fashion-mnist differs from the run being resumed (mnist)", refused(() -> saved.resumedWith(
        overrides(null, null, null, null, null, null, null, null, null, null, "fashion-mnist", null, null, null, null, null, false))));
    // With --data the dataset is 'folder' by construction: only the folder itself is compared.
    assertEquals("--data /d differs from the run being resumed (null)", refused(() -> saved.resumedWith(
        overrides(null, null, null, null, null, null, null, null, null, null, "folder", "/d", null, null, null, null, false))));
    assertEquals("--label-csv /a.csv differs from the run being resumed (null)", refused(() -> saved.resumedWith(
        overrides(null, null, null, null, null, null, null, null, null, null, null, null, "/a.csv", null, null, null, false))));
    assertEquals("--label Smiling differs from the run being resumed (null)", refused(() -> saved.resumedWith(
        overrides(null, null, null, null, null, null, null, null, null, null, null, null, null, "Smiling", null, null, false))));
    assertEquals("--gp-alpha normal differs from the run being resumed (uniform)", refused(() -> saved.resumedWith(
        overrides(null, null, null, null, null, null, null, null, null, null, null, null, null, null, "normal", null, false))));
    // The first difference is named.
    assertEquals("--seed 8 differs from the run being resumed (7)", refused(() -> saved.resumedWith(
        overrides(null, 8L, null, 32, null, null, null, null, null, null, null, null, null, null, null, null, false))));
  }

  @Test
  void configJsonRoundTripsAndBadOnesAreNamed() {
    TrainConfig c = config();
    String json = c.toJson();
    assertTrue(json.contains("\"preset\": \"dcgan-mnist\""), json);
    assertEquals(c, TrainConfig.fromJson(json, "run/config.json"));
    assertEquals(Presets.get("dcgan-mnist").name(), c.presetDefinition().name());
    BadInputException nothing = assertThrows(BadInputException.class, () -> TrainConfig.fromJson("", "run/config.json"));
    assertEquals("run/config.json: expected a run configuration with a preset, got nothing", nothing.getMessage());
    BadInputException noPreset = assertThrows(BadInputException.class, () -> TrainConfig.fromJson("{\"seed\": 3}", "run/config.json"));
    assertEquals("run/config.json: expected a run configuration with a preset, got no preset", noPreset.getMessage());
    // A name no preset has is a program's own GAN: read, but not rebuilt as a preset.
    TrainConfig own = TrainConfig.fromJson(json.replace("dcgan-mnist", "my-gan"), "run/config.json");
    assertEquals("my-gan", own.preset());
    BadInputException unknown = assertThrows(BadInputException.class, own::presetDefinition);
    assertTrue(unknown.getMessage().startsWith("the run trained my-gan, a GAN of a program and not a preset ("), unknown.getMessage());
    BadInputException malformed = assertThrows(BadInputException.class, () -> TrainConfig.fromJson("{\"epochs\": [", "c.json"));
    assertTrue(malformed.getMessage().startsWith("c.json: not a valid run configuration: "), malformed.getMessage());
    BadInputException notAnObject = assertThrows(BadInputException.class, () -> TrainConfig.fromJson("[1, 2]", "c.json"));
    assertEquals("c.json: expected a run configuration with a preset, got '[1,2]'", notAnObject.getMessage());
    // A hand-edited value out of its bounds: named with the file, not a stack trace.
    BadInputException outOfBounds = assertThrows(BadInputException.class,
        () -> TrainConfig.fromJson(json.replace("\"epochs\": 3", "\"epochs\": 0"), "run/config.json"));
    assertEquals("run/config.json: not a valid run configuration: --epochs: expected an integer >= 1, got 0", outOfBounds.getMessage());
  }
}
