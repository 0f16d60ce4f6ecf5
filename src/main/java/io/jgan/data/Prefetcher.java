package io.jgan.data;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds the next batches on a background thread while the current one trains, as
 * {@code tf.data.Dataset.prefetch} does: after batch (e, s) is handed out, the following
 * {@code depth} batches of the training order are built ahead ((e, s + 1), ..., and after an
 * epoch's last step (e + 1, 0)). A request for any other batch (the first one of a resumed run)
 * drops what was built ahead, closing it, and builds the one asked for. Either way the answer is
 * exactly {@code source.batch(epoch, step)}: prefetching changes when a batch is built, never what
 * it holds.
 *
 * <p>One worker thread builds every batch, in the order asked, so a source that is not
 * thread-safe ({@link Batches}) is only ever used by it. Closing drops and closes every batch
 * built ahead and not handed out, so no tensor outlives the prefetcher.
 *
 * <pre>{@code
 * try (Prefetcher prefetched = new Prefetcher(batches, batches.stepsPerEpoch(), 2)) {   // 2 batches ahead
 *   Batch batch = prefetched.batch(0, 0);
 * }
 * }</pre>
 */
public final class Prefetcher implements BatchSource, AutoCloseable {
  /** Batches built ahead: one training while the next is assembled, and one more as slack. */
  public static final int DEFAULT_DEPTH = 2;

  private final BatchSource source;
  private final int stepsPerEpoch;
  private final int depth;
  private final ExecutorService worker;
  private final ArrayDeque<Pending> ahead = new ArrayDeque<>();
  private boolean closed;

  private record Pending(long epoch, int step, Future<Batch> batch, AtomicBoolean dropped) {}

  /**
   * @param stepsPerEpoch the steps the training loop runs per epoch (a cap such as
   *     {@code --steps-per-epoch} makes it smaller than the source's), to know what comes next
   * @param depth how many batches to build ahead, at least 1
   */
  public Prefetcher(BatchSource source, int stepsPerEpoch, int depth) {
    if (stepsPerEpoch < 1 || stepsPerEpoch > source.stepsPerEpoch()) {
      throw new IllegalArgumentException("expected steps per epoch in [1, " + source.stepsPerEpoch() + "], got "
          + stepsPerEpoch);
    }
    if (depth < 1) {
      throw new IllegalArgumentException("expected a prefetch depth of at least 1, got " + depth);
    }
    this.source = source;
    this.stepsPerEpoch = stepsPerEpoch;
    this.depth = depth;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "batch-prefetch");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public int stepsPerEpoch() {
    return source.stepsPerEpoch();
  }

  @Override
  public synchronized Batch batch(long epoch, int step) {
    if (closed) {
      throw new IllegalStateException("the prefetcher is closed");
    }
    Pending wanted = null;
    while (!ahead.isEmpty()) {
      Pending p = ahead.poll();
      if (p.epoch() == epoch && p.step() == step) {
        wanted = p;
        break;
      }
      drop(p);
    }
    if (wanted == null) {
      wanted = submit(epoch, step);
    }
    long nextEpoch = ahead.isEmpty() ? epoch : ahead.peekLast().epoch();
    int nextStep = ahead.isEmpty() ? step : ahead.peekLast().step();
    while (ahead.size() < depth) {
      if (++nextStep == stepsPerEpoch) {
        nextStep = 0;
        nextEpoch++;
      }
      ahead.add(submit(nextEpoch, nextStep));
    }
    return await(wanted);
  }

  private Pending submit(long epoch, int step) {
    AtomicBoolean dropped = new AtomicBoolean();
    Future<Batch> batch = worker.submit(() -> dropped.get() ? null : source.batch(epoch, step));
    return new Pending(epoch, step, batch, dropped);
  }

  /** Skips a batch not yet built; closes it once built if it was under way. */
  private void drop(Pending p) {
    p.dropped().set(true);
    // The single worker runs tasks in order: by the time this runs, p's task has finished.
    worker.submit(() -> {
      try {
        Batch b = p.batch().get();
        if (b != null) {
          b.close();
        }
      } catch (ExecutionException | InterruptedException e) {
        // nothing was built, nothing to close
      }
    });
  }

  private Batch await(Pending p) {
    try {
      return p.batch().get();
    } catch (InterruptedException e) {
      drop(p);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for batch " + p.step() + " of epoch " + p.epoch(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("building batch " + p.step() + " of epoch " + p.epoch() + " failed: " + cause, cause);
    }
  }

  /** Closes every batch built ahead and stops the worker. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!ahead.isEmpty()) {
      drop(ahead.poll());
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the batch prefetch thread did not finish within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
