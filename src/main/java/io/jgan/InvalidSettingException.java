package io.jgan;

/**
 * A setting that cannot be used (an option or builder value out of its bounds, two that exclude
 * each other, one the run being resumed contradicts), with a message naming the setting, what was
 * expected and what was given. The command line prints it with the usage and exits with status 2;
 * a program catches it to correct the setting.
 *
 * <pre>{@code
 * if (epochs < 1) {
 *   throw new InvalidSettingException("expected --epochs of at least 1, got " + epochs);
 * }
 * }</pre>
 */
public class InvalidSettingException extends RuntimeException {
  public InvalidSettingException(String message) {
    super(message);
  }
}
