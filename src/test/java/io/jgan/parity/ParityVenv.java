package io.jgan.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The pinned Python reference of the cross-checks: {@code scripts/parity/setup.sh} makes (or finds) its
 * venv. Where Python cannot be installed (exit status 3) a check is skipped loudly, or fails under
 * {@link ParityTest#REQUIRE} (as CI sets it).
 */
public final class ParityVenv {
  private ParityVenv() {}

  /**
   * The venv's Python, e.g. {@code ParityVenv.python(work, "Keras 3", "optimizer")}.
   *
   * @param work where setup.sh's log goes
   * @param needs what the check needs from the venv, for the skip message
   * @param check the check's name, for the skip and failure messages
   */
  public static Path python(Path work, String needs, String check) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    Path log = work.resolve("setup.log");
    Process setup = new ProcessBuilder("bash", root.resolve("scripts/parity/setup.sh").toString())
        .redirectError(log.toFile()).start();
    String venv = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(setup.waitFor(ParityTest.TIMEOUT_MINUTES, TimeUnit.MINUTES), "setup.sh did not finish");
    if (setup.exitValue() == 3) {
      String why = "the Python reference (" + needs + " in the parity venv) cannot be installed here:\n"
          + Files.readString(log, StandardCharsets.UTF_8);
      if (System.getenv(ParityTest.REQUIRE) != null) {
        fail(ParityTest.REQUIRE + " is set, so the " + check + " cross-check must run, but " + why);
      }
      String banner = "******** " + check.toUpperCase(Locale.ROOT) + " PARITY SKIPPED ********";
      System.err.println("\n" + banner + "\n" + why + "\n" + "*".repeat(banner.length()) + "\n");
      Assumptions.abort("skipped: " + why);
    }
    assertEquals(0, setup.exitValue(), "setup.sh failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    return Path.of(venv, "bin", "python");
  }
}
