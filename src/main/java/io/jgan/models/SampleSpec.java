package io.jgan.models;

import io.jgan.viz.FrameSchedule;

/**
 * What a preset's tutorial writes to watch training: a grid of samples from fixed latent vectors
 * and a GIF of those grids at the end.
 *
 * @param rows grid rows (seed 000: 4)
 * @param cols grid columns (seed 000: 4)
 * @param filePattern {@link String#format} pattern of a grid file, given the epoch (seed 000:
 *     {@code image_at_epoch_%04d.png})
 * @param gifName the animation written at the end (seed 000: {@code dcgan.gif})
 * @param gifSchedule which grids become GIF frames
 */
public record SampleSpec(int rows, int cols, String filePattern, String gifName, FrameSchedule gifSchedule) {
  public SampleSpec {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("expected a positive grid size, got " + rows + "x" + cols);
    }
  }

  public int count() {
    return rows * cols;
  }
}
