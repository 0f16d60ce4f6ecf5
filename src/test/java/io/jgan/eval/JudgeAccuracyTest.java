package io.jgan.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.data.RealData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed judges ({@code savedmodels/judge-mnist}, {@code savedmodels/judge-fashion-mnist}),
 * loaded as {@code evaluate} loads them, classify the real 10,000-image test sets at least as well
 * as promised: 99.0% of MNIST digits, 90% of Fashion-MNIST garments. The labels come from the IDX
 * files, the predictions from the SavedModel: nothing here comes from the training code.
 */
class JudgeAccuracyTest {
  @ParameterizedTest
  @CsvSource({"mnist, 0.990", "fashion-mnist, 0.900"})
  void committedJudgeClassifiesTheRealTestSet(String name, double atLeast) {
    Dataset dataset = Dataset.parse(name);
    ImageSet test = dataset.load(RealData.ensure(dataset), false);
    try (Judge judge = Judge.load(Path.of("savedmodels", "judge-" + name), 2)) {
      assertArrayEquals(new long[] {28, 28, 1}, judge.inputShape());
      assertEquals(JudgeNetwork.FEATURES, judge.featureSize());
      assertEquals(10, judge.classes());
      assertEquals(name, judge.info().dataset());
      Judge.Outputs out = judge.run(test, 0, test.count());
      int[] predicted = ClassifierScore.predictions(out.logits());
      int right = 0;
      for (int i = 0; i < test.count(); i++) {
        right += predicted[i] == test.label(i) ? 1 : 0;
      }
      double accuracy = right / (double) test.count();
      assertTrue(accuracy >= atLeast, name + " test accuracy " + accuracy + ", expected at least " + atLeast);
      // What the judge's description reports was measured by the same weights on the same images.
      assertEquals(judge.info().testAccuracy(), accuracy, 1.5e-3, "reported vs measured accuracy");
    }
  }

  @Test
  void somethingThatIsNotAJudgeIsNamed(@TempDir Path dir) throws Exception {
    BadInputException none = assertThrows(BadInputException.class, () -> Judge.load(dir, 0));
    assertTrue(none.getMessage().startsWith(dir + ": expected a judge SavedModel directory"), none.getMessage());
    // A SavedModel without the judge's signature: the generator.
    BadInputException generator = assertThrows(BadInputException.class,
        () -> Judge.load(Path.of("savedmodels", "dcgan-mnist"), 0));
    assertTrue(generator.getMessage().contains("expected a signature 'features'"), generator.getMessage());
    Files.writeString(dir.resolve("saved_model.pb"), "not a model");
    BadInputException damaged = assertThrows(BadInputException.class, () -> Judge.load(dir, 0));
    assertTrue(damaged.getMessage().startsWith(dir + ": cannot load the SavedModel"), damaged.getMessage());
  }
}
