package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's write_gif keeps frame i when round(2 sqrt(i)) > round(last). Expected lists worked out
 * by hand: 2 sqrt(i) for i = 0..10 is 0, 2, 2.83, 3.46, 4, 4.47, 4.90, 5.29, 5.66, 6, 6.32, whose
 * Python rounds are 0, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6; a frame is kept when its round exceeds the
 * round of the last kept value. The last file is appended once more after the loop.
 */
class FrameScheduleTest {
  @Test
  void sqrtScheduleOfElevenGrids() {
    assertEquals(List.of(0, 1, 2, 4, 6, 8, 10), FrameSchedule.SQRT.select(11));
  }

  @Test
  void sqrtScheduleOfOneHundredAndOneGrids() {
    // From i = 9 (2 sqrt(i) = 6) on, a new integer round is reached when 2 sqrt(i) crosses k + 0.5,
    // i.e. i > ((k + 0.5) / 2)^2: k = 6 -> 10.56 so i = 11, 7 -> 14.06 -> 15, 8 -> 18.06 -> 19,
    // 9 -> 22.56 -> 23, 10 -> 27.56 -> 28, 11 -> 33.06 -> 34, 12 -> 39.06 -> 40, 13 -> 45.56 -> 46,
    // 14 -> 52.56 -> 53, 15 -> 60.06 -> 61, 16 -> 68.06 -> 69, 17 -> 76.56 -> 77, 18 -> 85.56 -> 86,
    // 19 -> 95.06 -> 96; then the last grid (100) again.
    assertEquals(List.of(0, 1, 2, 4, 6, 8, 11, 15, 19, 23, 28, 34, 40, 46, 53, 61, 69, 77, 86, 96, 100),
        FrameSchedule.SQRT.select(101));
  }

  @Test
  void roundingHalvesToEvenAsPython() {
    // Python: round(0.5) = 0, round(1.5) = 2, round(2.5) = 2.
    assertEquals(0.0, Math.rint(0.5));
    assertEquals(2.0, Math.rint(1.5));
    assertEquals(2.0, Math.rint(2.5));
  }

  @Test
  void allKeepsEveryGrid() {
    assertEquals(List.of(0, 1, 2), FrameSchedule.ALL.select(3));
    assertEquals(List.of(), FrameSchedule.SQRT.select(0));
    assertEquals(List.of(0, 0), FrameSchedule.SQRT.select(1));
  }
}
