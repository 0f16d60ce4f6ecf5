package io.jgan.train.listeners;

import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What the tutorial prints, plus a progress bar: within each epoch a bar with steps per second,
 * the ETA and the current losses; after it "Time for epoch N is S sec".
 *
 * <p>On a terminal the bar redraws in place; when output goes to a file or CI log it prints a
 * plain line every {@link #LOG_INTERVAL_MILLIS} instead of carriage-return updates.
 */
public final class ConsoleProgress implements TrainingListener {
  static final int TERMINAL_INTERVAL_MILLIS = 500;
  static final int LOG_INTERVAL_MILLIS = 15_000;
  /** Log lines are not limited by a terminal: room for the bar and every metric. */
  static final int LOG_LINE_WIDTH = 200;

  private final boolean interactive;
  private ProgressBar bar;

  public ConsoleProgress(boolean interactive) {
    this.interactive = interactive;
  }

  @Override
  public void onEpochStart(TrainingRun run, long epoch, int steps) {
    int done = (int) run.progress().stepInEpoch();
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(String.format(Locale.ROOT, "Epoch %d/%d", epoch, run.schedule().epochs()))
        .setInitialMax(steps)
        .setUnit(" steps", 1)
        .showSpeed(new DecimalFormat("0.00"))
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setStyle(ProgressBarStyle.ASCII)
        .setMaxRenderedLength(160);
    if (interactive) {
      builder.setUpdateIntervalMillis(TERMINAL_INTERVAL_MILLIS).setConsumer(new ConsoleProgressBarConsumer(run.out()));
    } else {
      builder.setUpdateIntervalMillis(LOG_INTERVAL_MILLIS).setConsumer(new DelegatingProgressBarConsumer(run.out()::println, LOG_LINE_WIDTH));
    }
    // A resumed epoch starts its bar at the steps already done; the rate and ETA count only the
    // steps of this session (with stepTo they counted the earlier ones too: 13 steps/s for 1).
    bar = builder.startsFrom(done, Duration.ZERO).build();
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    bar.stepTo(stepInEpoch);
    bar.setExtraMessage(" " + format(run, metrics));
  }

  /** Prints the metrics it is given, never the session's state. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return false;
  }

  @Override
  public void onStop(TrainingRun run) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    bar.close();
    bar = null;
    run.out().println("Time for epoch " + epoch + " is " + String.format(Locale.ROOT, "%.3f", seconds) + " sec");
  }

  /** "d_loss 1.234 g_loss 0.567 ..." for the losses and probabilities of a step. */
  public static String format(TrainingRun run, float[] metrics) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < metrics.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(run.metricNames().get(i)).append(' ').append(String.format(Locale.ROOT, "%.4f", metrics[i]));
    }
    return sb.toString();
  }
}
