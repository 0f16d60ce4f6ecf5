package io.jgan.data;

import io.jgan.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Makes sure a dataset's four IDX files are on disk, running {@code scripts/fetch-data.sh
 * <dataset>} (see {@code data/README.md}) when any is missing; does nothing when all are there.
 *
 * <p>The script lives under the repository root, which is the system property
 * {@value #HOME_PROPERTY} if set, else the parent of the data directory (so {@code data/} in the
 * repository finds {@code scripts/} beside it). The script always writes to {@code <root>/data}.
 * Its output goes to stderr as it runs; when it fails, the {@link BadInputException} names the
 * missing files, the last lines of its output and the command to run by hand.
 *
 * <pre>{@code
 * DataFetcher.ensurePresent(Dataset.FASHION_MNIST, Path.of("data"));   // downloads what is missing
 * List<Path> missing = DataFetcher.missingFiles(Dataset.MNIST, Path.of("data"));
 * }</pre>
 */
public final class DataFetcher {

  /** System property naming the repository root that holds {@code scripts/fetch-data.sh}. */
  public static final String HOME_PROPERTY = "jgan.home";
  /** The fetch script, relative to the repository root. */
  public static final String FETCH_SCRIPT = "scripts/fetch-data.sh";
  /** How many of the script's last output lines a failure message quotes. */
  static final int OUTPUT_TAIL_LINES = 15;

  private DataFetcher() {}

  /**
   * Fetches {@code dataset} into {@code dataDir} if any of its files is missing, with the root
   * from {@value #HOME_PROPERTY} or {@code dataDir}'s parent, logging to {@code System.err}.
   *
   * @throws BadInputException if files are missing and fetching them fails
   */
  public static void ensurePresent(Dataset dataset, Path dataDir) {
    ensurePresent(dataset, dataDir, defaultRoot(dataDir), System.err);
  }

  /**
   * Fetches {@code dataset} into {@code dataDir} if any of its files is missing, running
   * {@code bash <root>/scripts/fetch-data.sh <dataset>} and copying its output to {@code log}.
   *
   * @throws BadInputException if files are missing and fetching them fails
   */
  public static void ensurePresent(Dataset dataset, Path dataDir, Path root, PrintStream log) {
    List<Path> missing = missingFiles(dataset, dataDir);
    if (missing.isEmpty()) {
      return;
    }
    Path script = root.resolve(FETCH_SCRIPT).toAbsolutePath().normalize();
    String command = "bash " + script + " " + dataset.dirName();
    String missingList = missing.stream().map(Path::toString).collect(Collectors.joining(", "));
    if (!Files.isRegularFile(script)) {
      throw new BadInputException(
          dataset + ": missing " + missingList + "; expected the fetch script at " + script
              + ", got no such file (set -D" + HOME_PROPERTY + "=<repository root>, or fetch by"
              + " hand: see data/README.md)");
    }
    log.println(dataset + ": missing " + missingList + "; running " + command);
    Deque<String> tail = new ArrayDeque<>();
    int exitCode;
    try {
      exitCode = run(List.of("bash", script.toString(), dataset.dirName()), root, log, tail);
    } catch (IOException e) {
      throw new BadInputException(
          dataset + ": missing " + missingList + "; could not run " + command + ": " + e
              + ". Run it by hand.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
    if (exitCode != 0) {
      throw new BadInputException(
          dataset + ": missing " + missingList + "; fetching them failed (" + command
              + " exited with status " + exitCode + "). Its last lines:\n  "
              + String.join("\n  ", tail) + "\nFix the cause, then run by hand: " + command);
    }
    List<Path> stillMissing = missingFiles(dataset, dataDir);
    if (!stillMissing.isEmpty()) {
      throw new BadInputException(
          dataset + ": expected " + command + " to create "
              + stillMissing.stream().map(Path::toString).collect(Collectors.joining(", "))
              + ", got them still missing (the script writes to " + root.resolve("data")
              + "; is " + dataDir + " that directory?)");
    }
  }

  /** Those of {@code dataset}'s four files under {@code dataDir} that do not exist. */
  public static List<Path> missingFiles(Dataset dataset, Path dataDir) {
    return dataset.files(dataDir).stream().filter(file -> !Files.isRegularFile(file)).toList();
  }

  /** {@value #HOME_PROPERTY} if set, else the parent of {@code dataDir} (made absolute). */
  public static Path defaultRoot(Path dataDir) {
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    Path parent = dataDir.toAbsolutePath().normalize().getParent();
    return parent != null ? parent : dataDir.toAbsolutePath();
  }

  /**
   * Runs {@code command} in {@code workDir}, copying each line of its output (stdout and stderr
   * merged) to {@code log} and keeping the last {@link #OUTPUT_TAIL_LINES} in {@code tail}.
   *
   * @return its exit status
   */
  private static int run(List<String> command, Path workDir, PrintStream log, Deque<String> tail)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = output.readLine()) != null) {
        log.println(line);
        tail.addLast(line);
        if (tail.size() > OUTPUT_TAIL_LINES) {
          tail.removeFirst();
        }
      }
      return process.waitFor();
    } finally {
      if (process.isAlive()) {
        process.destroy();
      }
    }
  }
}
