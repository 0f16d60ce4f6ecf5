package io.jgan.models;

import io.jgan.viz.FrameSchedule;
import java.util.function.LongPredicate;

/**
 * What a preset's tutorial writes to watch training: grids of samples at some epochs or steps,
 * and a GIF of them at the end.
 *
 * @param rows grid rows (seed 000: 4)
 * @param cols grid columns (seed 000: 4)
 * @param unit whether {@code when} is asked about epochs or steps
 * @param when which epochs (1-based) or steps (after that many updates) get a grid
 * @param atStart also write one before the first step (seed 000's {@code image_at_epoch_0000.png})
 * @param atEnd also write one after the last step (seed 002's final grid)
 * @param fixedLatents the same latent vectors every time (seeds 000-003), or fresh ones (seed 004)
 * @param filePattern {@link String#format} pattern given the grid's number (the epoch or step
 *     divided by {@code fileNumberDivisor}) and, for conditional presets, the label
 * @param fileNumberDivisor seed 004 numbers its files 000, 001, ... once per 1000 steps
 * @param gifName the animation written at the end
 * @param gifSchedule which grids become GIF frames
 */
public record SampleSpec(int rows, int cols, Unit unit, LongPredicate when, boolean atStart, boolean atEnd,
    boolean fixedLatents, String filePattern, long fileNumberDivisor, String gifName, FrameSchedule gifSchedule) {

  /** Grids by epoch or by step. */
  public enum Unit { EPOCH, STEP }

  public SampleSpec {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("expected a positive grid size, got " + rows + "x" + cols);
    }
    if (fileNumberDivisor <= 0) {
      throw new IllegalArgumentException("expected a positive file number divisor, got " + fileNumberDivisor);
    }
  }

  /** A grid after every epoch and one before training, fixed latents: the DCGAN tutorial. */
  public static SampleSpec everyEpoch(int rows, int cols, String filePattern, String gifName, FrameSchedule schedule) {
    return new SampleSpec(rows, cols, Unit.EPOCH, e -> true, true, false, true, filePattern, 1, gifName, schedule);
  }

  public int count() {
    return rows * cols;
  }

  /** The file name of the grid numbered {@code number} (and for {@code label}, if conditional). */
  public String fileName(long number, Integer label) {
    long n = number / fileNumberDivisor;
    return label == null ? String.format(java.util.Locale.ROOT, filePattern, n)
        : String.format(java.util.Locale.ROOT, filePattern, n, label);
  }
}
