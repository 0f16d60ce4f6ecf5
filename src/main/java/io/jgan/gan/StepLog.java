package io.jgan.gan;

import java.util.Locale;

/**
 * The log line a tutorial prints every so many steps, in its own words.
 *
 * <pre>{@code
 * Plan plan = Plan.builder().batchSize(128).maxSteps(10_000).stepLog(new StepLog(1000, StepLog.Style.TF1)).build();
 * String line = new StepLog(1000, StepLog.Style.FLUX).format(1000, 0.52f, 2.1f);
 * }</pre>
 *
 * @param every steps between lines (after that many updates; seed 004 also logs before the first)
 * @param style the tutorial's wording
 */
public record StepLog(long every, Style style) {
  public enum Style {
    /** Seed 004: {@code Iter: N / D loss: x / G_loss: y}, losses to 4 significant digits. */
    TF1,
    /** Seed 002: {@code Train step N, Discriminator loss = x, Generator loss = y}. */
    FLUX
  }

  public StepLog {
    if (every <= 0) {
      throw new IllegalArgumentException("expected a positive log interval, got " + every);
    }
  }

  /** The line(s) for step {@code step} with discriminator and generator losses. */
  public String format(long step, float dLoss, float gLoss) {
    return switch (style) {
      case TF1 -> String.format(Locale.ROOT, "Iter: %d%nD loss: %.4g%nG_loss: %.4g", step, dLoss, gLoss);
      case FLUX -> String.format(Locale.ROOT, "Train step %d, Discriminator loss = %s, Generator loss = %s", step,
          Float.toString(dLoss), Float.toString(gLoss));
    };
  }
}
