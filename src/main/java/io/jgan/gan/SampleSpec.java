package io.jgan.gan;

import io.jgan.viz.FrameSchedule;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * What a preset's tutorial writes to watch training: grids of samples at some epochs or steps,
 * and a GIF of them at the end. Built by naming each choice:
 * {@code SampleSpec.grid(4, 4).everyEpoch().beforeTraining().fixedLatents()
 * .file("image_at_epoch_%04d.png").gif("dcgan.gif", FrameSchedule.SQRT).build()}.
 *
 * <pre>{@code
 * SampleSpec samples = SampleSpec.grid(4, 4).everyEpoch().beforeTraining().fixedLatents()
 *     .file("image_at_epoch_%04d.png").gif("dcgan.gif", FrameSchedule.SQRT).build();
 * Plan plan = Plan.builder().batchSize(256).epochs(50).samples(samples).build();
 * }</pre>
 */
public final class SampleSpec {
  /** Grids by epoch or by step. */
  public enum Unit { EPOCH, STEP }

  private final int rows;
  private final int cols;
  private final Unit unit;
  private final LongPredicate when;
  private final boolean atStart;
  private final boolean atEnd;
  private final boolean fixedLatents;
  private final float[][] givenLatents;
  private final String filePattern;
  private final long fileNumberDivisor;
  private final String gifName;
  private final FrameSchedule gifSchedule;

  private SampleSpec(Builder b) {
    if (b.unit == null || b.filePattern == null || b.gifName == null) {
      throw new IllegalArgumentException("expected when, file and gif to be given, got "
          + b.unit + ", " + b.filePattern + ", " + b.gifName);
    }
    rows = b.rows;
    cols = b.cols;
    unit = b.unit;
    when = b.when;
    atStart = b.atStart;
    atEnd = b.atEnd;
    fixedLatents = b.fixedLatents || b.givenLatents != null;
    givenLatents = b.givenLatents;
    if (givenLatents != null && givenLatents.length != b.rows * b.cols) {
      throw new IllegalArgumentException("expected " + b.rows * b.cols + " given latent rows for a " + b.rows + "x" + b.cols
          + " grid, got " + givenLatents.length);
    }
    filePattern = b.filePattern;
    fileNumberDivisor = b.fileNumberDivisor;
    gifName = b.gifName;
    gifSchedule = b.gifSchedule;
  }

  /** A rows x cols grid of samples (seed 000: 4 x 4). */
  public static Builder grid(int rows, int cols) {
    return new Builder(rows, cols);
  }

  public int rows() { return rows; }
  public int cols() { return cols; }
  /** Whether {@link #when()} is asked about epochs or steps. */
  public Unit unit() { return unit; }
  /** Which epochs (1-based) or steps (after that many updates) get a grid. */
  public LongPredicate when() { return when; }
  /** Also a grid before the first step (seed 000's {@code image_at_epoch_0000.png}). */
  public boolean atStart() { return atStart; }
  /** Also a grid after the last step (seed 002's final grid). */
  public boolean atEnd() { return atEnd; }
  /**
   * The same latent vectors every time (seeds 000, 002; always with {@link Builder#latents}), or fresh
   * ones (seeds 001, 003, 004).
   */
  public boolean fixedLatents() { return fixedLatents; }
  /**
   * The generator inputs every grid uses, given by the program ({@link Builder#latents}), one row per
   * sample (a copy); null when they are drawn from the GAN's prior.
   */
  public float[][] givenLatents() {
    return givenLatents == null ? null : copy(givenLatents);
  }

  private static float[][] copy(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
    }
    return out;
  }

  /** {@link String#format} pattern given the grid's number and, for conditional presets, the label. */
  public String filePattern() { return filePattern; }
  public String gifName() { return gifName; }
  /** Which grids become GIF frames. */
  public FrameSchedule gifSchedule() { return gifSchedule; }

  public int count() {
    return rows * cols;
  }

  /** The file name of the grid numbered {@code number} (and for {@code label}, if conditional). */
  public String fileName(long number, Integer label) {
    long n = number / fileNumberDivisor;
    return label == null ? String.format(Locale.ROOT, filePattern, n) : String.format(Locale.ROOT, filePattern, n, label);
  }

  /** The choices of a {@link SampleSpec}; defaults: fresh latents, no grid before or after training. */
  public static final class Builder {
    private final int rows;
    private final int cols;
    private Unit unit;
    private LongPredicate when;
    private boolean atStart;
    private boolean atEnd;
    private boolean fixedLatents;
    private float[][] givenLatents;
    private String filePattern;
    private long fileNumberDivisor = 1;
    private String gifName;
    private FrameSchedule gifSchedule;

    private Builder(int rows, int cols) {
      if (rows <= 0 || cols <= 0) {
        throw new IllegalArgumentException("expected a positive grid size, got " + rows + "x" + cols);
      }
      this.rows = rows;
      this.cols = cols;
    }

    /** A grid after every epoch. */
    public Builder everyEpoch() {
      return epochs(e -> true);
    }

    /** A grid after the epochs (1-based) {@code when} accepts. */
    public Builder epochs(LongPredicate which) {
      unit = Unit.EPOCH;
      when = which;
      return this;
    }

    /** A grid after the steps (counted after that many updates) {@code when} accepts. */
    public Builder steps(LongPredicate which) {
      unit = Unit.STEP;
      when = which;
      return this;
    }

    /** Also one grid before the first step. */
    public Builder beforeTraining() { atStart = true; return this; }

    /** Also one grid after the last step. */
    public Builder afterTraining() { atEnd = true; return this; }

    /** The same latent vectors for every grid, keyed on the run seed. */
    public Builder fixedLatents() { fixedLatents = true; return this; }

    /**
     * These generator inputs for every grid, one row of the GAN's latent size per sample (rows x cols
     * of them), instead of draws from its prior: for a GAN whose generator input is data rather than
     * noise, e.g. pix2pix's edge maps, flattened (examples/pix2pix). The rows are copied; their length
     * is checked against the GAN when a run starts.
     */
    public Builder latents(float[][] rows) {
      java.util.Objects.requireNonNull(rows, "rows");
      int length = rows.length > 0 && rows[0] != null ? rows[0].length : 0;
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] == null || rows[i].length == 0 || rows[i].length != length) {
          throw new IllegalArgumentException("expected given latent rows of one positive length (row 0's, " + length
              + "), got row " + i + " of " + (rows[i] == null ? "none" : rows[i].length + " values"));
        }
      }
      givenLatents = copy(rows);
      return this;
    }

    /** The grid files, numbered by epoch or step. */
    public Builder file(String pattern) { filePattern = pattern; return this; }

    /** Number the files by step / divisor (seed 004 numbers them 000, 001, ... once per 1000 steps). */
    public Builder numberedPer(long divisor) {
      if (divisor <= 0) {
        throw new IllegalArgumentException("expected a positive file number divisor, got " + divisor);
      }
      fileNumberDivisor = divisor;
      return this;
    }

    /** The animation written at the end, and which grids become its frames. */
    public Builder gif(String name, FrameSchedule schedule) {
      gifName = name;
      gifSchedule = schedule;
      return this;
    }

    public SampleSpec build() {
      return new SampleSpec(this);
    }
  }
}
