package io.jgan.train.graph;

/**
 * How long a run trains.
 *
 * @param epochs epochs in total
 * @param stepsPerEpoch steps in each epoch (a full pass, or the {@code --steps-per-epoch} cap)
 * @param maxSteps stop after this many steps in total whatever the epoch (seed 004 counts
 *     iterations); 0 for no limit
 */
public record Schedule(long epochs, int stepsPerEpoch, long maxSteps) {
  public Schedule {
    if (epochs < 0 || stepsPerEpoch <= 0 || maxSteps < 0) {
      throw new IllegalArgumentException("expected epochs >= 0, steps per epoch > 0 and a step limit >= 0, got "
          + epochs + ", " + stepsPerEpoch + ", " + maxSteps);
    }
  }

  /** Whether a run at {@code p} has nothing left to do. */
  public boolean isDone(Progress p) {
    return p.epoch() >= epochs || (maxSteps > 0 && p.globalStep() >= maxSteps);
  }
}
