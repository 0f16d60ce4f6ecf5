package io.jgan.data;

import java.nio.file.Path;

/**
 * The real datasets under {@code data/} for tests that read them, fetched by
 * {@code scripts/fetch-data.sh} when missing. Every such test goes through here, so on a clean
 * clone (CI) it does not depend on another test class having fetched the files first.
 */
public final class RealData {
  /** {@code data/} of this checkout, where the CLI looks by default. */
  public static final Path DIR = Path.of(Dataset.DEFAULT_DATA_DIR).toAbsolutePath();

  private RealData() {}

  /** Fetches {@code datasets} into {@link #DIR} if any of their files is missing; returns {@link #DIR}. */
  public static Path ensure(Dataset... datasets) {
    for (Dataset dataset : datasets) {
      DataFetcher.ensurePresent(dataset, DIR);
    }
    return DIR;
  }
}
