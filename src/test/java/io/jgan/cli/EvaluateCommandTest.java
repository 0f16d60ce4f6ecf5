package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.presets.Presets;
import io.jgan.run.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} end to end on the committed dcgan-mnist model, and its command-line errors. */
class EvaluateCommandTest {
  @TempDir Path dir;

  @Test
  void evaluatesTheCommittedModelAgainstTheRealCeiling() throws Exception {
    Path json = dir.resolve("eval.json");
    CommandLineTest.Outcome o = CommandLineTest.run("evaluate", "--model", "savedmodels/dcgan-mnist", "--count", "400",
        "--threads", "2", "--out", json.toString());
    assertEquals(0, o.status(), o.err());
    for (String row : new String[] {"classifier score", "Frechet distance", "KID", "share of class 9", "real training images"}) {
      assertTrue(o.out().contains(row), row + ":\n" + o.out());
    }
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(400, report.get("count").getAsInt());
    assertEquals("mnist-test", report.get("reference").getAsString());
    assertEquals(0, report.getAsJsonArray("notMeasured").size(), report.toString());
    JsonObject samples = report.getAsJsonObject("samples");
    JsonObject real = report.getAsJsonObject("realTrainingImages");
    double score = samples.get("classifierScore").getAsDouble();
    assertTrue(score > 1 && score <= 10, "classifier score " + score);
    // Real digits are classified confidently and evenly: close to the 10 classes; 400 of them are
    // close to the test set; the committed generator's samples are further off on every count.
    assertTrue(real.get("classifierScore").getAsDouble() > 9, real.toString());
    assertTrue(real.get("labelAccuracy").getAsDouble() > 0.97, real.toString());
    assertTrue(samples.get("frechetDistance").getAsDouble() > 5 * real.get("frechetDistance").getAsDouble(), report.toString());
    assertTrue(samples.get("kid").getAsDouble() > real.get("kid").getAsDouble(), report.toString());
    assertEquals(100, samples.get("kidSubsets").getAsInt());
    assertEquals(400, samples.get("kidSubsetSize").getAsInt(), "subsets of min(1000, N)");
    JsonArray shares = samples.getAsJsonArray("classShares");
    double sum = 0;
    for (int c = 0; c < 10; c++) {
      sum += shares.get(c).getAsDouble();
    }
    assertEquals(1.0, sum, 1e-12);
  }

  /**
   * An evaluation beside a model is a result the user keeps: a second evaluate refuses to replace it,
   * saying what it holds and leaving its bytes alone, until --out or --overwrite says otherwise.
   */
  @Test
  void aKeptEvaluationIsNeverReplacedSilently() throws Exception {
    Path model = dir.resolve("dcgan-mnist");
    copyTree(Path.of("savedmodels/dcgan-mnist"), model);
    Path kept = dir.resolve("dcgan-mnist-evaluation.json"); // the default: MODEL-evaluation.json beside it
    CommandLineTest.Outcome first = CommandLineTest.run("evaluate", "--model", model.toString(), "--count", "50");
    assertEquals(0, first.status(), first.err());
    byte[] before = Files.readAllBytes(kept);

    CommandLineTest.Outcome again = CommandLineTest.run("evaluate", "--model", model.toString(), "--count", "60");
    assertEquals(Command.USAGE_ERROR, again.status(), again.out());
    assertTrue(again.err().contains("--out: " + kept + " already exists (an evaluation of " + model + ": 50 samples, seed 0, "
        + "judged by savedmodels/judge-mnist); give --out FILE to write elsewhere, or --overwrite to replace it"), again.err());
    assertArrayEquals(before, Files.readAllBytes(kept));

    CommandLineTest.Outcome replaced = CommandLineTest.run("evaluate", "--model", model.toString(), "--count", "60",
        "--overwrite");
    assertEquals(0, replaced.status(), replaced.err());
    assertEquals(60, JsonParser.parseString(Files.readString(kept)).getAsJsonObject().get("count").getAsInt());
  }

  static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @Test
  void expectsOneSourceAndAJudgeForFolderRuns() {
    CommandLineTest.Outcome neither = CommandLineTest.run("evaluate");
    assertEquals(2, neither.status());
    assertTrue(neither.err().contains("expected exactly one of --run-dir DIR or --model DIR, got neither"), neither.err());
    CommandLineTest.Outcome small = CommandLineTest.run("evaluate", "--model", "x", "--count", "1");
    assertEquals(2, small.status());
    assertTrue(small.err().contains("--count: expected an integer >= 2, got 1"), small.err());
    CommandLineTest.Outcome missing = CommandLineTest.run("evaluate", "--model", dir.toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains(dir + ": expected a SavedModel directory"), missing.err());

    TrainConfig folderRun = TrainConfig.defaults(Presets.get("dcgan-lego"));
    EvaluateCommand.Settings settings = new EvaluateCommand.Settings(dir, null, 10, 0, null, null, Path.of("data"), 0,
        dir.resolve("e.json"), false, false);
    UsageException e = assertThrows(UsageException.class, () -> EvaluateCommand.judgeDataset(folderRun, settings));
    assertTrue(e.getMessage().contains("expected --dataset mnist|fashion-mnist (for a folder written by export-images) "
        + "or --judge DIR, got neither"), e.getMessage());
  }
  @Test
  void aJudgeWithoutAReferenceSetMeasuresWhatItCanAndSaysWhatNot() throws Exception {
    // The MNIST judge without its jgan-judge.json stands for any classifier with the 'features' signature.
    Path foreign = dir.resolve("foreign-judge");
    Files.createDirectories(foreign.resolve("variables"));
    Path judge = Path.of("savedmodels", "judge-mnist");
    for (String f : new String[] {"saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001"}) {
      Files.copy(judge.resolve(f), foreign.resolve(f));
    }
    Path json = dir.resolve("foreign.json");
    CommandLineTest.Outcome o = CommandLineTest.run("evaluate", "--model", "savedmodels/dcgan-mnist", "--count", "50",
        "--judge", foreign.toString(), "--threads", "2", "--out", json.toString());
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("Not measured: Frechet distance and KID: the judge " + foreign + " names no reference set"),
        o.out());
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonObject samples = report.getAsJsonObject("samples");
    assertTrue(samples.has("classifierScore") && !samples.has("frechetDistance") && !samples.has("kid"), samples.toString());
    assertTrue(!report.has("realTrainingImages"), report.toString());
    assertEquals(2, report.getAsJsonArray("notMeasured").size(), report.toString());
  }
}
