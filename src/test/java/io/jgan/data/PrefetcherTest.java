package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.PixelScale;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The prefetch thread changes when a batch is built, never what it holds: every batch equals the
 * one the source builds for the same (epoch, step), in order, across epochs, after a jump (a
 * resumed run); batches built ahead and never asked for are closed.
 */
class PrefetcherTest {
  /** 10 images of 2x2x1 whose pixels are 10 * image + position: every batch tells its images apart. */
  static ImageSet images() {
    byte[] pixels = new byte[10 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (10 * (i / 4) + i % 4);
    }
    return new ImageSet("ten", 10, 2, 2, 1, pixels, null, 0);
  }

  /** A source that records the thread building each batch and hands out tensors whose closing it counts. */
  static final class Recording implements BatchSource {
    final Batches batches = new Batches(images(), PixelScale.TANH, 3, 9);
    final List<String> built = Collections.synchronizedList(new ArrayList<>());
    final Map<Object, Integer> closes = Collections.synchronizedMap(new IdentityHashMap<>()); // proxies compare by identity
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());

    @Override
    public int stepsPerEpoch() {
      return batches.stepsPerEpoch();
    }

    @Override
    public Batch batch(long epoch, int step) {
      built.add(epoch + ":" + step);
      threads.add(Thread.currentThread().getName());
      Batch real = batches.batch(epoch, step);
      TFloat32 tensor = (TFloat32) real.images();
      Object[] self = new Object[1];
      TFloat32 counted = (TFloat32) Proxy.newProxyInstance(TFloat32.class.getClassLoader(), new Class<?>[] {TFloat32.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
              closes.merge(self[0], 1, Integer::sum);
            }
            try {
              return method.invoke(tensor, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      self[0] = counted;
      closes.put(counted, 0);
      return new Batch(counted, null);
    }
  }

  static float[] floats(Batch b) {
    TFloat32 t = (TFloat32) b.images();
    float[] out = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void batchesEqualTheSourcesInOrderAcrossEpochsAndAfterAJump() {
    Batches direct = new Batches(images(), PixelScale.TANH, 3, 9); // 4 steps per epoch: 3, 3, 3, 1
    Recording source = new Recording();
    // The loop runs 3 of the 4 steps per epoch (--steps-per-epoch 3); then a resumed run starts at (5, 1).
    long[][] asked = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {5, 1}, {5, 2}, {6, 0}, {6, 0}};
    try (Prefetcher prefetcher = new Prefetcher(source, 3, 2)) {
      prefetcher.batch(0, 0).close();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!source.built.containsAll(List.of("0:1", "0:2")) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(List.of("0:0", "0:1", "0:2"), source.built, "the next two built ahead, unasked");
      for (long[] a : asked) {
        try (Batch got = prefetcher.batch(a[0], (int) a[1]); Batch want = direct.batch(a[0], (int) a[1])) {
          assertArrayEquals(floats(want), floats(got), "epoch " + a[0] + " step " + a[1]);
        }
      }
    }
    assertEquals(List.of("batch-prefetch"), source.threads.stream().distinct().toList(), "one worker builds them all");
    // After the first three, asking for (0, 0) again starts over; until the jump each batch is then built
    // once, in the order asked, the next epoch's first after an epoch's last.
    assertEquals(List.of("0:0", "0:1", "0:2", "1:0", "1:1", "1:2", "2:0"), source.built.subList(3, 10), source.built.toString());
    assertTrue(!source.built.contains("0:3") && !source.built.contains("1:3"),
        "after the loop's last step of an epoch comes the next epoch's first: " + source.built);
  }

  @Test
  void everyBatchIsClosedOnceWhetherHandedOutDroppedOrLeftAhead() {
    Recording source = new Recording();
    try (Prefetcher prefetcher = new Prefetcher(source, 4, 2)) {
      for (long[] a : new long[][] {{0, 0}, {0, 1}, {3, 3}, {0, 0}, {0, 1}}) {
        prefetcher.batch(a[0], (int) a[1]).close();
      }
    }
    assertNotEquals(0, source.closes.size());
    source.closes.forEach((tensor, times) -> assertEquals(1, times, "closed exactly once: " + source.built));
    assertEquals(source.built.size(), source.closes.size(), "every built batch was seen");
  }

  @Test
  void aFailureWhileBuildingReachesTheCaller() {
    BatchSource failing = new BatchSource() {
      @Override
      public int stepsPerEpoch() {
        return 2;
      }

      @Override
      public Batch batch(long epoch, int step) {
        throw new IllegalStateException("cannot read image 7");
      }
    };
    try (Prefetcher prefetcher = new Prefetcher(failing, 2, 1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> prefetcher.batch(0, 0));
      assertEquals("cannot read image 7", e.getMessage());
    }
    assertEquals("expected steps per epoch in [1, 2], got 3",
        assertThrows(IllegalArgumentException.class, () -> new Prefetcher(failing, 3, 1)).getMessage());
    assertEquals("expected steps per epoch in [1, 2], got 0",
        assertThrows(IllegalArgumentException.class, () -> new Prefetcher(failing, 0, 1)).getMessage());
    assertEquals("expected a prefetch depth of at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Prefetcher(failing, 2, 0)).getMessage());
    try (Prefetcher all = new Prefetcher(failing, 2, 1)) {
      assertEquals(2, all.stepsPerEpoch(), "every step of the source");
    }
  }
}
