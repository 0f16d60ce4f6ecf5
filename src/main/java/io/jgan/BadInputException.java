package io.jgan;

/**
 * A problem with something the user gave us (a file, an option value, a folder) that they can fix.
 *
 * <p>The message always names the thing (file path, option, value), what was expected and what
 * was found, e.g. {@code "data/mnist/train-images-idx3-ubyte: expected magic number 2051 (0x00000803),
 * got 2049"}. The command line prints the message without a stack trace. Every reader of external
 * input (IDX files, image folders, attribute CSVs, checkpoint state files, options) throws only this
 * for malformed input, which is what the fuzz tests check.
 *
 * <pre>{@code
 * if (!Files.isDirectory(root)) {
 *   throw new BadInputException(root + ": expected a folder of images, got no such folder");
 * }
 * }</pre>
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
