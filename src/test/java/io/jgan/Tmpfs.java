package io.jgan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small file system for the disk-full and read-only tests: a tmpfs mounted at a path.
 *
 * <p>Mounting needs root (or CAP_SYS_ADMIN). Without it the tests are skipped, and the skip says
 * why (the user, and what {@code mount} answered); with {@value #REQUIRE} set, as {@code .ci/run}
 * sets it (CI runs as root), a tmpfs that cannot be mounted fails the test instead, so CI never
 * passes without the disk-full and read-only checks the README cites.
 */
public final class Tmpfs {
  /** Set (to anything) to make a tmpfs that cannot be mounted a failure rather than a skip. */
  public static final String REQUIRE = "JGAN_REQUIRE_TMPFS";

  private Tmpfs() {}

  /** Mounts a tmpfs with {@code options} (e.g. {@code size=1m}) at {@code at}; skips or fails, saying why, where it cannot. */
  public static void mount(Path at, String options) throws Exception {
    mount(at, options, System.getenv(REQUIRE) != null);
  }

  /** As {@link #mount(Path, String)}; {@code required}: fail rather than skip. */
  static void mount(Path at, String options, boolean required) throws Exception {
    Files.createDirectories(at);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    if (status == 0) {
      return;
    }
    String why = "cannot mount a tmpfs at " + at + " as user " + System.getProperty("user.name")
        + " (mounting needs root or CAP_SYS_ADMIN): mount exited with " + status + ": " + out.strip();
    if (required) {
      Assertions.fail(why + " (" + REQUIRE + " is set: the disk-full and read-only checks must run here)");
    }
    String skip = "skipped: " + why + " (set " + REQUIRE + "=1 to make this a failure)";
    System.err.println(skip); // on the console too: Surefire keeps an abort's reason in its reports only
    Assumptions.abort(skip);
  }

  /** Runs a command (umount, mount -o remount,...), which must succeed. */
  public static void command(String... args) throws Exception {
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", args) + ": " + out);
  }
}
