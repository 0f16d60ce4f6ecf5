package io.jgan.store;

import io.jgan.BadInputException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A failed RestoreV2 as an error naming the damaged file: TensorFlow's messages name the prefix or
 * nothing, so the file is told from what went wrong (the index is an SSTable with block checksums;
 * the data file holds each tensor's bytes with a CRC32C).
 */
final class RestoreErrors {
  private RestoreErrors() {}

  static BadInputException describe(Path prefix, RuntimeException e) {
    String why = firstLine(e);
    String lower = why.toLowerCase(Locale.ROOT);
    String file;
    if (lower.contains("sstable") || lower.contains("block checksum") || lower.contains("corrupt")
        || lower.contains(".index")) {
      file = CheckpointManager.index(prefix) + ": expected a checkpoint index (SSTable) intact";
    } else if (lower.contains("checksum does not match") || lower.contains("read less bytes") || lower.contains("shard")
        || lower.contains("data-")) {
      file = CheckpointManager.data(prefix) + ": expected every tensor's bytes to match its CRC32C in the index";
    } else if (lower.contains("dtype")) {
      file = prefix + ": expected the types this model has";
    } else {
      file = CheckpointManager.index(prefix) + " / " + CheckpointManager.data(prefix) + ": expected a readable checkpoint";
    }
    return new BadInputException(file + ", got: " + why + " (cannot read the checkpoint)", e);
  }

  /** TensorFlow's NOT_FOUND for an absent key (it has no exception class of its own in TF Java 1.1.0). */
  static boolean isMissingKey(RuntimeException e) {
    return firstLine(e).contains("not found in checkpoint");
  }

  static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
