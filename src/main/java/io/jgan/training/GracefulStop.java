package io.jgan.training;

import io.jgan.train.loop.SignalHandlers;
import io.jgan.train.loop.StopRequest;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) and SIGTERM, as a long training run wants them: the first lets the current step
 * finish and the run save a checkpoint of it ({@link StopRequest}); a second stops at once. Outside
 * the training loop (loading data, building the graph) the first signal stops at once too.
 *
 * <p>Installed by the first {@link Training} of a process (and by the command line before it
 * parses anything), once: a program that trains keeps these handlers afterwards.
 *
 * <pre>{@code
 * GracefulStop.install(System.err);   // Training does this itself; a program may call it earlier
 * }</pre>
 */
public final class GracefulStop {
  /** The first words of the acknowledgement on stderr (the command line's parent process looks for it). */
  public static final String STOPPING = "Stopping after the current step";
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** The request of this process, set by the first signal once a training loop is running. */
  public static final StopRequest STOP = new StopRequest();

  private GracefulStop() {}

  /** In the process that trains: the first signal asks the loop to stop, a second halts; says so on {@code err}. */
  public static void install(PrintStream err) {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    AtomicInteger count = new AtomicInteger();
    SignalHandlers.onInterruptOrTerminate(name -> {
      int status = "INT".equals(name) ? StopRequest.SIGINT_STATUS : StopRequest.SIGTERM_STATUS;
      if (count.incrementAndGet() == 1 && STOP.isTraining()) {
        STOP.request(name);
        err.println(STOPPING + " (SIG" + name + "): finishing it, then saving a checkpoint of it; "
            + (name.equals("INT") ? "press Ctrl-C again" : "send the signal again") + " to stop at once");
        err.flush();
      } else {
        err.println("Stopping at once (SIG" + name + "): the steps since the last checkpoint are lost");
        err.flush();
        Runtime.getRuntime().halt(status);
      }
    });
  }
}
