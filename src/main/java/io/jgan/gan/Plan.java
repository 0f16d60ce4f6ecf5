package io.jgan.gan;

/**
 * How long and how a GAN trains by default, and what a run writes besides checkpoints: batch
 * size, epochs, a step limit, the checkpoint interval, the sample grids and GIF, a periodic log
 * line, steps per session run and the sample-quality interval. A preset's plan is its tutorial's;
 * a program's GAN starts from {@link #defaults()} (Keras's {@code fit} defaults where it has one).
 * Every value can still be changed for one run ({@code Training.Builder}).
 *
 * <pre>{@code
 * Plan plan = Plan.builder().batchSize(128).epochs(50)
 *     .samples(SampleSpec.grid(4, 4).everyEpoch().fixedLatents().file("epoch_%03d.png").gif("training.gif", FrameSchedule.SQRT).build())
 *     .build();
 * }</pre>
 *
 * @param batchSize examples per step
 * @param epochs full passes over the data
 * @param maxSteps stop after this many steps whatever the epoch (seed 004's 10,000 iterations); 0 for none
 * @param checkpointEvery a numbered checkpoint every this many epochs (and always at the end)
 * @param samples the sample grids and their GIF
 * @param stepLog a tutorial's periodic log line, or null
 * @param stepsPerRun training steps per TensorFlow session run by default
 * @param evalEvery sample quality every this many epochs when a judge fits the data (0: never)
 */
public record Plan(int batchSize, int epochs, long maxSteps, int checkpointEvery, SampleSpec samples, StepLog stepLog,
    int stepsPerRun, int evalEvery) {
  /** Keras's {@code fit(batch_size=32)}. */
  public static final int BATCH_SIZE_DEFAULT = 32;
  /** Keras's {@code fit(epochs=1)}. */
  public static final int EPOCHS_DEFAULT = 1;
  /** Sample quality after every epoch, where a judge fits the data. */
  public static final int EVAL_EVERY_DEFAULT = 1;
  /** A program's GAN: a 4x4 grid of fixed latent vectors before training and after every epoch, and their GIF. */
  public static final SampleSpec SAMPLES_DEFAULT = SampleSpec.grid(4, 4).everyEpoch().beforeTraining().fixedLatents()
      .file("samples_epoch_%04d.png").gif("training.gif", io.jgan.viz.FrameSchedule.ALL).build();

  public Plan {
    positive("batch size", batchSize);
    positive("epochs", epochs);
    positive("checkpoint interval", checkpointEvery);
    positive("steps per session run", stepsPerRun);
    if (maxSteps < 0) {
      throw new IllegalArgumentException("expected a step limit >= 0 (0: none), got " + maxSteps);
    }
    if (evalEvery < 0) {
      throw new IllegalArgumentException("expected a sample-quality interval >= 0 (0: never), got " + evalEvery);
    }
    if (samples == null) {
      throw new IllegalArgumentException("expected a sample spec, got none");
    }
  }

  private static void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("expected a positive " + what + ", got " + value);
    }
  }

  /** Batch 32, 1 epoch, a checkpoint at the end, {@link #SAMPLES_DEFAULT}, quality every epoch. */
  public static Plan defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this plan's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.batchSize = batchSize;
    b.epochs = epochs;
    b.maxSteps = maxSteps;
    b.checkpointEvery = checkpointEvery;
    b.samples = samples;
    b.stepLog = stepLog;
    b.stepsPerRun = stepsPerRun;
    b.evalEvery = evalEvery;
    return b;
  }

  /** Named values for a {@link Plan}. */
  public static final class Builder {
    private int batchSize = BATCH_SIZE_DEFAULT;
    private int epochs = EPOCHS_DEFAULT;
    private long maxSteps;
    private int checkpointEvery = 1;
    private SampleSpec samples = SAMPLES_DEFAULT;
    private StepLog stepLog;
    private int stepsPerRun = 1;
    private int evalEvery = EVAL_EVERY_DEFAULT;

    private Builder() {}

    public Builder batchSize(int size) { batchSize = size; return this; }
    public Builder epochs(int count) { epochs = count; return this; }
    /** Stop after this many steps whatever the epoch; default 0, none. */
    public Builder maxSteps(long steps) { maxSteps = steps; return this; }
    /** Default 1: every epoch. */
    public Builder checkpointEvery(int epochsBetween) { checkpointEvery = epochsBetween; return this; }
    public Builder samples(SampleSpec spec) { samples = spec; return this; }
    /** Default none. */
    public Builder stepLog(StepLog log) { stepLog = log; return this; }
    /** Default 1: one step per session run. */
    public Builder stepsPerRun(int steps) { stepsPerRun = steps; return this; }
    /** Default {@value #EVAL_EVERY_DEFAULT}. */
    public Builder evalEvery(int epochsBetween) { evalEvery = epochsBetween; return this; }

    public Plan build() {
      return new Plan(batchSize, epochs, maxSteps, checkpointEvery, samples, stepLog, stepsPerRun, evalEvery);
    }
  }
}
