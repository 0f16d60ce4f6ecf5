package io.jgan.train.listeners;

import io.jgan.models.SampleSpec;
import io.jgan.nn.RandomSource;
import io.jgan.train.TrainingListener;
import io.jgan.train.TrainingRun;
import io.jgan.viz.Samples;
import java.nio.file.Path;
import org.tensorflow.types.TFloat32;

/**
 * The tutorial's {@code generate_and_save_images}: G applied in inference mode to the same fixed
 * latent vectors after every epoch (and once before training, as epoch 0), written as a grid;
 * at the end, the GIF of those grids ({@code write_gif}).
 *
 * <p>The fixed latents are keyed on the run seed, so a resumed run draws the same ones.
 */
public final class SampleGrids implements TrainingListener {
  private final SampleSpec spec;

  public SampleGrids(SampleSpec spec) {
    this.spec = spec;
  }

  @Override
  public void onTrainStart(TrainingRun run) {
    if (run.progress().globalStep() == 0) {
      write(run, 0);
    }
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    write(run, epoch);
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    Path gif = run.directory().resolve(spec.gifName());
    int frames = Samples.writeGif(run.directory().root(), spec, gif);
    run.out().println("Wrote " + gif + " (" + frames + " frames)");
  }

  private void write(TrainingRun run, long epoch) {
    try (TFloat32 latents = run.graph().sampleLatents(run.session(), run.graph().seed(),
            RandomSource.STREAM_SAMPLE_GRID, 0, spec.count());
         TFloat32 images = run.graph().generate(run.session(), latents)) {
      Samples.writeGrid(images, run.graph().preset().pixelScale(), spec.rows(), spec.cols(),
          run.directory().resolve(String.format(java.util.Locale.ROOT, spec.filePattern(), epoch)));
    }
  }
}
