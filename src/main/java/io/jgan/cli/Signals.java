package io.jgan.cli;

import io.jgan.training.GracefulStop;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM in the parent of a relaunched command (the process that trains
 * handles them with {@link GracefulStop}).
 *
 * <p>A terminal's Ctrl-C and a scheduler's {@code kill -TERM -PGID} reach every process of the
 * group: {@code mvn exec:java}'s JVM, and the child JVM that {@link Relaunch} starts. The parent
 * then only waits for the child; if the signal reached the parent alone, it forwards it after a
 * second unless the child has said it is stopping ({@link GracefulStop#STOPPING}).
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, in every JDK since 6): the JDK's only way
 * to handle a signal without ending the JVM, which a shutdown hook cannot do.
 */
final class Signals {
  private static final String[] NAMES = {"INT", "TERM"};
  /** How long the parent waits for the child to acknowledge a signal before forwarding it. */
  static final long FORWARD_AFTER_MILLIS = 1000;

  private Signals() {}

  /**
   * In the parent of a relaunched child: keep running while the child stops; forward a signal the
   * child did not get; a second signal is forwarded at once.
   *
   * @param acknowledged set when the child prints {@link GracefulStop#STOPPING}
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
