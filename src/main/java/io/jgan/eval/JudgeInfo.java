package io.jgan.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.jgan.BadInputException;
import io.jgan.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@value #FILE}, beside a judge's SavedModel, says of it: the dataset it classifies (whose
 * test set is the reference of the distances), its classes, how inputs are scaled, how it was
 * trained and its test accuracy. A classifier SavedModel without this file can still judge (with
 * {@code --judge}), but has no reference set: only the classifier score, the class shares and the
 * label accuracy are measured with it.
 *
 * @param dataset the dataset's command-line name ({@code mnist}, {@code fashion-mnist})
 * @param classes number of classes (logits)
 * @param classNames one per class
 * @param inputShape one input image [height, width, channels]
 * @param inputScaling how an 8-bit pixel x becomes an input: {@value #SCALING}
 * @param features size of the feature layer
 * @param architecture the network, layer by layer
 * @param training how it was trained (epochs, batch, optimizer, seed)
 * @param testAccuracy share of the dataset's 10,000 test images classified right
 * @param command the command that retrains it
 */
public record JudgeInfo(String dataset, int classes, List<String> classNames, long[] inputShape, String inputScaling,
    int features, String architecture, String training, double testAccuracy, String command) {
  public static final String FILE = "jgan-judge.json";
  public static final String SCALING = "(x - 127.5) / 127.5";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public String toJson() {
    return GSON.toJson(this);
  }

  /** The dataset it classifies. */
  public Dataset datasetValue() {
    return Dataset.parse(dataset);
  }

  /** {@value #FILE} of the judge in {@code dir}, or null when there is none. */
  public static JudgeInfo readIfPresent(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JudgeInfo info = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), JudgeInfo.class);
      if (info == null || info.dataset() == null || info.classes() <= 0) {
        throw new BadInputException(file + ": expected a judge description with a dataset and its classes, got "
            + (info == null ? "nothing" : "dataset " + info.dataset() + ", " + info.classes() + " classes"));
      }
      Dataset.parse(info.dataset());
      return info;
    } catch (IOException | JsonParseException e) {
      throw new BadInputException(file + ": not a valid judge description (" + e.getMessage() + ")", e);
    } catch (BadInputException e) {
      throw new BadInputException(file + ": " + e.getMessage(), e);
    }
  }
}
