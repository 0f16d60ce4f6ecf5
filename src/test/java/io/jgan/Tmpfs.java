package io.jgan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A real small file system for the disk-full and read-only tests: a tmpfs mounted at a path. */
public final class Tmpfs {
  private Tmpfs() {}

  /** Mounts a tmpfs with {@code options} (e.g. {@code size=1m}) at {@code at}; skips (saying why) where mounting is not allowed. */
  public static void mount(Path at, String options) throws Exception {
    Files.createDirectories(at);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + out.strip());
  }

  /** Runs a command (umount, mount -o remount,...), which must succeed. */
  public static void command(String... args) throws Exception {
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", args) + ": " + out);
  }
}
