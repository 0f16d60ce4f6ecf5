package io.jgan.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a run's sample grids (sorted by name) become frames of its GIF.
 *
 * <pre>{@code
 * List<Integer> frames = FrameSchedule.SQRT.select(50);   // indices of the grids kept, last one repeated
 * int written = Samples.writeGif(runDir, "image_at_epoch_%04d.png", FrameSchedule.ALL, runDir.resolve("dcgan.gif"));
 * }</pre>
 */
public enum FrameSchedule {
  /** Every grid, in order (seed 002's {@code output.gif}). */
  ALL,
  /**
   * Seed 000's {@code write_gif}: frame i is kept when {@code round(2 * sqrt(i)) > round(last)},
   * where {@code last} starts at -1 and becomes {@code 2 * sqrt(i)} at each kept frame; then the
   * last grid is appended once more. Early epochs, where the samples change fastest, get more
   * frames. Python's {@code round} rounds halves to even, as {@link Math#rint} does.
   */
  SQRT;

  /** Indices into {@code count} grids, in GIF order (may repeat the last). */
  public List<Integer> select(int count) {
    List<Integer> frames = new ArrayList<>();
    if (count == 0) {
      return frames;
    }
    if (this == ALL) {
      for (int i = 0; i < count; i++) {
        frames.add(i);
      }
      return frames;
    }
    double last = -1;
    for (int i = 0; i < count; i++) {
      double frame = 2 * Math.sqrt(i);
      if (Math.rint(frame) > Math.rint(last)) {
        last = frame;
        frames.add(i);
      }
    }
    frames.add(count - 1);
    return frames;
  }
}
