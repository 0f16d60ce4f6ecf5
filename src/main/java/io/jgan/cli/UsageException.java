package io.jgan.cli;

/** A bad command line: the command prints this message and its usage, and exits with status 2. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
