package io.jgan.train.listeners;

import io.jgan.gan.SampleSpec;
import io.jgan.nn.RandomSource;
import io.jgan.train.graph.Inference;
import io.jgan.train.graph.LatentSampler;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import io.jgan.viz.Samples;
import java.nio.file.Path;
import org.tensorflow.types.TFloat32;

/**
 * The tutorials' {@code generate_and_save_images}: G in inference mode on latent vectors, written
 * as a grid when the preset's {@link SampleSpec} says (every epoch, every N steps, before training,
 * after it); at the end, the GIF of those grids ({@code write_gif}).
 *
 * <p>A program may give the grids' generator inputs itself ({@link SampleSpec#givenLatents}: pix2pix's
 * edge maps). Otherwise fixed latents are keyed on the run seed, so a resumed run draws the same ones;
 * presets that draw fresh ones each time (seed 004) key them on the step. A conditional preset writes one grid
 * per class from the same latents (seed 003's {@code generated_img_NNN_label_K.png}).
 */
public final class SampleGrids implements TrainingListener {
  private final SampleSpec spec;
  private long lastWritten = -1;

  public SampleGrids(SampleSpec spec) {
    this.spec = spec;
  }

  @Override
  public void onTrainStart(TrainingRun run) {
    if (spec.atStart() && run.progress().globalStep() == 0) {
      write(run, 0);
    }
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    if (spec.unit() == SampleSpec.Unit.STEP && spec.when().test(globalStep)) {
      write(run, globalStep);
    }
  }

  /** A grid per the spec's steps. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return spec.unit() == SampleSpec.Unit.STEP && spec.when().test(globalStep);
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    if (spec.unit() == SampleSpec.Unit.EPOCH && spec.when().test(epoch)) {
      write(run, epoch);
    }
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    long last = spec.unit() == SampleSpec.Unit.STEP ? run.progress().globalStep() : run.progress().epoch();
    if (spec.atEnd() && lastWritten != last) {
      write(run, last);
    }
    Path gif = run.directory().resolve(spec.gifName());
    int frames = Samples.writeGif(run.directory().root(), spec.filePattern(), spec.gifSchedule(), gif);
    if (frames > 0) {
      run.out().println("Wrote " + gif + " (" + frames + " frames)");
    }
  }

  private void write(TrainingRun run, long number) {
    TrainingGraph<TFloat32> g = run.graph();
    Inference<TFloat32> inference = g.inference();
    long counter = spec.fixedLatents() ? 0 : number + 1;
    try (TFloat32 latents = latents(g, spec, counter)) {
      if (g.classes() == 0) {
        try (TFloat32 images = inference.generate(run.session(), latents, null)) {
          Samples.writeGrid(images, g.spec().pixelScale(), spec.rows(), spec.cols(),
              run.directory().resolve(spec.fileName(number, null)));
        }
      } else {
        for (int label = 0; label < g.classes(); label++) {
          int[] labels = new int[spec.count()];
          java.util.Arrays.fill(labels, label);
          try (TFloat32 oneHot = inference.oneHot(labels); TFloat32 images = inference.generate(run.session(), latents, oneHot)) {
            Samples.writeGrid(images, g.spec().pixelScale(), spec.rows(), spec.cols(),
                run.directory().resolve(spec.fileName(number, label)));
          }
        }
      }
    }
    lastWritten = number;
  }

  /**
   * The generator inputs of a grid [count, latentDim]: the program's own ({@link SampleSpec#givenLatents}),
   * or draws from the GAN's prior keyed on the run seed and {@code counter} (0 for fixed latents).
   */
  static TFloat32 latents(TrainingGraph<TFloat32> g, SampleSpec spec, long counter) {
    float[][] given = spec.givenLatents();
    if (given != null) {
      int dim = g.spec().latentDim();
      float[] flat = new float[given.length * dim];
      for (int i = 0; i < given.length; i++) {
        if (given[i].length != dim) {
          throw new IllegalArgumentException(g.spec().name() + ": expected sample latents of " + dim + " values, got "
              + given[i].length);
        }
        System.arraycopy(given[i], 0, flat, i * dim, dim);
      }
      return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(given.length, dim),
          org.tensorflow.ndarray.buffer.DataBuffers.of(flat, true, false));
    }
    try (LatentSampler sampler = new LatentSampler(g.spec().latentPrior(), g.spec().latentDim())) {
      return sampler.sample(g.seed(), RandomSource.STREAM_SAMPLE_GRID, counter, spec.count());
    }
  }
}
