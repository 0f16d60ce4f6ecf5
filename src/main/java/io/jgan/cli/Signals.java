package io.jgan.cli;

import io.jgan.train.StopRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM, as a long training run wants them: the first lets the current step
 * finish and the run save a checkpoint of it ({@link StopRequest}); a second stops at once. Outside
 * the training loop (loading data, building the graph) the first signal stops at once too.
 *
 * <p>A terminal's Ctrl-C and a scheduler's {@code kill -TERM -PGID} reach every process of the
 * group: {@code mvn exec:java}'s JVM, and the child JVM that {@link Relaunch} starts. The parent
 * then only waits for the child; if the signal reached the parent alone, it forwards it after a
 * second unless the child has said it is stopping ({@link #STOPPING}).
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, in every JDK since 6): the JDK's only way
 * to handle a signal without ending the JVM, which a shutdown hook cannot do.
 */
final class Signals {
  /** The first words of the child's acknowledgement on stderr. */
  static final String STOPPING = "Stopping after the current step";
  private static final String[] NAMES = {"INT", "TERM"};
  /** How long the parent waits for the child to acknowledge a signal before forwarding it. */
  static final long FORWARD_AFTER_MILLIS = 1000;

  /** The request of this process, set by the first signal once a training loop is running. */
  static final StopRequest STOP = new StopRequest();

  private Signals() {}

  /** In the process that trains: the first signal asks the loop to stop, a second halts. */
  static void installForTraining(PrintStream err) {
    AtomicInteger count = new AtomicInteger();
    for (String name : NAMES) {
      Signal.handle(new Signal(name), signal -> {
        int status = "INT".equals(signal.getName()) ? StopRequest.SIGINT_STATUS : StopRequest.SIGTERM_STATUS;
        if (count.incrementAndGet() == 1 && STOP.isTraining()) {
          STOP.request(signal.getName());
          err.println(STOPPING + " (SIG" + signal.getName() + "): finishing it, then saving a checkpoint of it; "
              + (signal.getName().equals("INT") ? "press Ctrl-C again" : "send the signal again") + " to stop at once");
          err.flush();
        } else {
          err.println("Stopping at once (SIG" + signal.getName() + "): the steps since the last checkpoint are lost");
          err.flush();
          Runtime.getRuntime().halt(status);
        }
      });
    }
  }

  /**
   * In the parent of a relaunched child: keep running while the child stops; forward a signal the
   * child did not get; a second signal is forwarded at once.
   *
   * @param acknowledged set when the child prints {@link #STOPPING}
   */
  static void installForParent(ProcessHandle child, AtomicBoolean acknowledged) {
    AtomicInteger count = new AtomicInteger();
    for (String name : NAMES) {
      Signal.handle(new Signal(name), signal -> {
        if (count.incrementAndGet() > 1) {
          forward(child, signal.getName());
          return;
        }
        Thread later = new Thread(() -> {
          try {
            Thread.sleep(FORWARD_AFTER_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
          if (!acknowledged.get() && child.isAlive()) {
            forward(child, signal.getName());
          }
        }, "forward-signal");
        later.setDaemon(true);
        later.start();
      });
    }
  }

  private static void forward(ProcessHandle child, String signal) {
    try {
      new ProcessBuilder("kill", "-s", signal, Long.toString(child.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      child.destroy(); // SIGTERM
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
