package io.jgan.train.graph;

/**
 * Where a run stands, saved with its weights so that training resumes exactly.
 *
 * @param globalStep steps done in total
 * @param epoch the current epoch, 0-based (epochs done when {@code stepInEpoch} is 0)
 * @param stepInEpoch steps done in the current epoch
 */
public record Progress(long globalStep, long epoch, long stepInEpoch) {
  public static final Progress START = new Progress(0, 0, 0);
}
