package io.jgan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** The loop the reader fuzz tests share: every malformed input is read back or clearly refused. */
public final class Fuzzing {
  private Fuzzing() {}

  /** How many inputs were read and how many refused. */
  public record Counts(int accepted, int rejected) {}

  /**
   * Writes {@code cases} inputs to {@code file} one by one and reads each with {@code readAndCheck}:
   * it either returns (and checks what it read) or throws the project's BadInputException whose
   * message starts with the file; any other exception fails the test, showing the input.
   */
  public static Counts run(int cases, Path file, IntFunction<byte[]> inputs, Consumer<Path> readAndCheck) {
    int accepted = 0, rejected = 0;
    for (int i = 0; i < cases; i++) {
      byte[] input = inputs.apply(i);
      try {
        Files.write(file, input);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        readAndCheck.accept(file);
        accepted++;
      } catch (BadInputException e) {
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        rejected++;
      } catch (RuntimeException | Error e) {
        fail("input " + i + " (" + new String(input, StandardCharsets.ISO_8859_1).replace("\n", "\\n") + ") threw " + e, e);
      }
    }
    assertEquals(cases, accepted + rejected);
    return new Counts(accepted, rejected);
  }

  /** {@code b} with {@code what} inserted at {@code at}. */
  public static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }
}
