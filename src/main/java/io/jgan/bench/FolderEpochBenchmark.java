package io.jgan.bench;

import io.jgan.PixelScale;
import io.jgan.data.Batch;
import io.jgan.data.Batches;
import io.jgan.data.ImageCache;
import io.jgan.data.ImageFolder;
import io.jgan.data.Prefetcher;
import io.jgan.run.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.types.TFloat32;

/**
 * Reads one full epoch of batches of an image folder through its decoded-image cache and the
 * prefetch thread, as training does but without the training step, and prints the time and the
 * process's peak resident memory: every image of the cache is touched once, which shows whether
 * mapped pages pile up in the resident set.
 *
 * <p>{@code java ... io.jgan.bench.FolderEpochBenchmark FOLDER CACHE_DIR [batch] [channels] [residentMiB]}
 * (batch 512 and 3 channels at 64x64 as wgan-gp; residentMiB 0 keeps every mapping, never unmapping),
 * normally through {@code scripts/data/celeba-sized.sh}.
 */
public final class FolderEpochBenchmark {
  private FolderEpochBenchmark() {}

  public static void main(String[] args) {
    Path folder = Path.of(args[0]);
    Path cacheDir = Path.of(args[1]);
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    int channels = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    long residentMiB = args.length > 4 ? Long.parseLong(args[4]) : 256;
    ImageCache cache = new ImageCache(cacheDir).withLog(System.out, false)
        .withResidentBytes(residentMiB == 0 ? Long.MAX_VALUE : residentMiB << 20);
    long started = System.nanoTime();
    ImageFolder.Loaded loaded = cache.load(folder, 64, 64, channels, Runtime.getRuntime().availableProcessors());
    double loadSeconds = (System.nanoTime() - started) / 1e9;
    long afterLoad = Memory.peakResidentBytes();
    Batches batches = new Batches(loaded.images(), PixelScale.TANH, batch, 42);
    started = System.nanoTime();
    double checksum = 0;
    long maxAnon = 0;
    long maxFile = 0;
    try (Prefetcher prefetched = new Prefetcher(batches, batches.stepsPerEpoch(), Prefetcher.DEFAULT_DEPTH)) {
      for (int s = 0; s < batches.stepsPerEpoch(); s++) {
        try (Batch b = prefetched.batch(0, s)) {
          checksum += ((TFloat32) b.images()).getFloat(0, 0, 0, 0);
        }
        maxAnon = Math.max(maxAnon, status("RssAnon:"));
        maxFile = Math.max(maxFile, status("RssFile:"));
      }
    }
    double epochSeconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "load (list, key, check or decode): %.1f s; peak resident memory after it: %.0f MB%n",
        loadSeconds, afterLoad / 1e6);
    System.out.printf(Locale.ROOT, "one epoch: %d batches of %d (%,d images) in %.1f s (%,.0f images/s), unmapping: %s;"
        + " peak resident memory: %.0f MB (checksum %.3f)%n", batches.stepsPerEpoch(), batch, loaded.images().count(),
        epochSeconds, loaded.images().count() / epochSeconds, residentMiB == 0 ? "never"
        : residentMiB / 2 + " images read (" + residentMiB + " MiB charged at 2 MiB a read)",
        Memory.peakResidentBytes() / 1e6, checksum);
    System.out.printf(Locale.ROOT, "largest resident set during the epoch: %.0f MB anonymous (heap, TensorFlow tensors),"
        + " %.0f MB of mapped files (the cache, libraries)%n", maxAnon / 1e6, maxFile / 1e6);
  }

  /** A field of /proc/self/status in bytes, or -1. */
  private static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
