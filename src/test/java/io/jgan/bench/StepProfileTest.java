package io.jgan.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline of a step's op runs, on intervals worked out by hand. */
class StepProfileTest {
  @Test
  void spanBusyAndParallelTimeOfOverlappingRuns() {
    // [0,10] and [5,15] overlap on [5,10]; [20,30] runs alone after a gap of 5.
    long[] t = StepProfile.timeline(List.of(new long[] {0, 10}, new long[] {20, 30}, new long[] {5, 15}));
    assertArrayEquals(new long[] {30, 25, 5}, t);
  }

  @Test
  void runsThatTouchAreNotParallelAndNestedRunsCountOnce() {
    assertArrayEquals(new long[] {20, 20, 0}, StepProfile.timeline(List.of(new long[] {0, 10}, new long[] {10, 20})));
    // Three deep on [4,6], two deep on [2,4] and [6,8]: at least two running for 6.
    assertArrayEquals(new long[] {10, 10, 6},
        StepProfile.timeline(List.of(new long[] {0, 10}, new long[] {2, 8}, new long[] {4, 6})));
  }

  @Test
  void noRunsIsAnEmptyTimeline() {
    assertArrayEquals(new long[] {0, 0, 0}, StepProfile.timeline(List.of()));
  }
}
