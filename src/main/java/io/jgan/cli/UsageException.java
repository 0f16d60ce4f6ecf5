package io.jgan.cli;

import io.jgan.InvalidSettingException;

/** A bad command line: the command prints the message and its usage and exits with status 2. */
public final class UsageException extends InvalidSettingException {
  public UsageException(String message) {
    super(message);
  }
}
