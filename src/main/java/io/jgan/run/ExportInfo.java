package io.jgan.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.BadInputException;
import io.jgan.gan.GanSpec;
import io.jgan.gan.GeneratorInfo;
import io.jgan.gan.LatentPrior;
import io.jgan.gan.Preset;
import io.jgan.store.SavedModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.Shape;

/**
 * What {@value #FILE}, written beside an exported SavedModel, says of it: the run's configuration,
 * the latent size, the classes and the image shape, so {@code generate --model} needs nothing else.
 */
public record ExportInfo(TrainConfig config, int latentDim, int classes, long[] imageShape, LatentPrior latentPrior) {
  public static final String FILE = "jgan-export.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** The description of the generator of {@code gan} trained with {@code config}. */
  public static ExportInfo of(TrainConfig config, GanSpec gan) {
    return new ExportInfo(config, gan.latentDim(), config.classes(), gan.imageShape().asArray(), gan.latentPrior());
  }

  /** The GAN's name (a preset's, or a program's own GAN's). */
  public String name() {
    return config.preset();
  }

  /** What the exported generator takes and makes. */
  public GeneratorInfo generatorInfo() {
    return new GeneratorInfo(name(), latentPrior, latentDim, Shape.of(imageShape));
  }

  /** The catalogue preset it was trained as (for re-exporting it with this version's graph); see {@link TrainConfig#presetDefinition}. */
  public Preset preset() {
    return config.presetDefinition();
  }

  public String toJson() {
    return GSON.toJson(this);
  }

  /** Reads {@value #FILE} of an exported model. */
  public static ExportInfo read(Path modelDir) {
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(modelDir.resolve(SavedModels.SAVED_MODEL_FILE))) {
      throw new BadInputException(modelDir + ": expected a SavedModel directory (with saved_model.pb), found none");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": expected the export's description written by 'export', found nothing");
    }
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      TrainConfig config = TrainConfig.fromJson(json.get("config").toString(), file.toString());
      // Exports of versions before 0.2 name no latent prior: their preset's.
      LatentPrior prior = json.has("latentPrior") ? LatentPrior.valueOf(json.get("latentPrior").getAsString())
          : config.presetDefinition().latentPrior();
      return new ExportInfo(config, json.get("latentDim").getAsInt(), json.get("classes").getAsInt(),
          GSON.fromJson(json.get("imageShape"), long[].class), prior);
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadInputException b) {
        throw b;
      }
      throw new BadInputException(file + ": not a valid export description (" + e.getMessage() + ")", e);
    }
  }
}
