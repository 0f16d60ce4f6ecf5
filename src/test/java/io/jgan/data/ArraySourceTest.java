package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.PixelScale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Users' own arrays as batches: every example once per epoch, in an order reproducible from
 * (seed, epoch) and the same as {@link Batches} gives images; each batch holds exactly the rows of
 * the examples it names, values as given, labels one-hot; bad shapes and labels are refused with
 * "expected X, got Y".
 */
class ArraySourceTest {
  static final int N = 10;

  /** Row i holds {1000 i, 1000 i + 1, 1000 i + 2} minus 0.5: the values name their example, and are not pixels. */
  static float[][] rows() {
    float[][] rows = new float[N][3];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < 3; j++) {
        rows[i][j] = 1000f * i + j - 0.5f;
      }
    }
    return rows;
  }

  static float[] values(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void everyEpochVisitsEveryExampleOnceAndTheLastBatchKeepsTheRemainder() {
    float[][] rows = rows();
    ArraySource source = ArraySource.rows(rows).batchSize(4).seed(3).build();
    assertEquals(3, source.stepsPerEpoch()); // 4 + 4 + 2
    for (long epoch = 0; epoch < 3; epoch++) {
      boolean[] seen = new boolean[N];
      int[] sizes = new int[3];
      for (int step = 0; step < 3; step++) {
        try (Batch batch = source.batch(epoch, step)) {
          assertNull(batch.labels());
          long b = batch.size();
          sizes[step] = (int) b;
          assertEquals(Shape.of(b, 3), batch.images().shape());
          float[] v = values((TFloat32) batch.images());
          for (int r = 0; r < b; r++) {
            int example = (int) ((v[r * 3] + 0.5f) / 1000f);
            // The whole row is that example's row, as given.
            assertArrayEquals(rows[example], Arrays.copyOfRange(v, r * 3, r * 3 + 3), "epoch " + epoch + " step " + step);
            assertFalse(seen[example], "example " + example + " twice in epoch " + epoch);
            seen[example] = true;
          }
        }
      }
      assertArrayEquals(new int[] {4, 4, 2}, sizes);
      for (int i = 0; i < N; i++) {
        assertEquals(true, seen[i], "example " + i + " missing from epoch " + epoch);
      }
    }
  }

  @Test
  void batchesHoldTheExamplesTheEpochOrderNames() {
    float[][] rows = rows();
    ArraySource source = ArraySource.rows(rows).batchSize(3).seed(11).build();
    for (long epoch = 0; epoch < 2; epoch++) {
      int[] order = source.order(epoch);
      for (int step = 0; step < source.stepsPerEpoch(); step++) {
        try (Batch batch = source.batch(epoch, step)) {
          float[] v = values((TFloat32) batch.images());
          for (int r = 0; r < batch.size(); r++) {
            assertArrayEquals(rows[order[step * 3 + r]], Arrays.copyOfRange(v, r * 3, r * 3 + 3));
          }
        }
      }
    }
  }

  @Test
  void theOrderIsBatchesOrderForTheSameSeedAndEpoch() {
    // An image set of the same size, batched by Batches with the same seed: the same permutation every epoch.
    ImageSet images = new ImageSet("ten", N, 1, 1, 1, new byte[N], null, 0);
    Batches batches = new Batches(images, PixelScale.TANH, 4, 123);
    ArraySource source = ArraySource.rows(rows()).batchSize(4).seed(123).build();
    for (long epoch = 0; epoch < 5; epoch++) {
      assertArrayEquals(batches.order(epoch), source.order(epoch), "epoch " + epoch);
    }
  }

  @Test
  void aResumedRunSeesTheSameBatchesAndEpochsDiffer() {
    ArraySource straight = ArraySource.rows(rows()).batchSize(4).seed(5).build();
    List<float[]> seenStraight = new ArrayList<>();
    for (long epoch = 0; epoch < 3; epoch++) {
      for (int step = 0; step < straight.stepsPerEpoch(); step++) {
        try (Batch batch = straight.batch(epoch, step)) {
          seenStraight.add(values((TFloat32) batch.images()));
        }
      }
    }
    // A new source (a resumed process) asked for epoch 2, step 1 first.
    ArraySource resumed = ArraySource.rows(rows()).batchSize(4).seed(5).build();
    try (Batch batch = resumed.batch(2, 1)) {
      assertArrayEquals(seenStraight.get(2 * 3 + 1), values((TFloat32) batch.images()));
    }
    assertFalse(Arrays.equals(straight.order(0), straight.order(1)), "epochs 0 and 1 in the same order");
    assertFalse(Arrays.equals(straight.order(1), straight.order(2)), "epochs 1 and 2 in the same order");
    ArraySource otherSeed = ArraySource.rows(rows()).batchSize(4).seed(6).build();
    assertFalse(Arrays.equals(straight.order(0), otherSeed.order(0)), "seeds 5 and 6 in the same order");
  }

  @Test
  void flatValuesTakeTheExampleShapeAndLabelsComeOneHot() {
    // 7 examples of 2 x 2 x 1: example i holds i * 4 .. i * 4 + 3, label i % 3.
    float[] flat = new float[7 * 4];
    for (int k = 0; k < flat.length; k++) {
      flat[k] = k;
    }
    int[] labels = {0, 1, 2, 0, 1, 2, 0};
    ArraySource source = ArraySource.flat(flat, Shape.of(2, 2, 1)).labels(labels, 3).batchSize(5).seed(1).build();
    assertEquals(2, source.stepsPerEpoch());
    assertEquals(3, source.classes());
    for (int step = 0; step < 2; step++) {
      try (Batch batch = source.batch(0, step)) {
        long b = step == 0 ? 5 : 2;
        assertEquals(Shape.of(b, 2, 2, 1), batch.images().shape());
        assertEquals(Shape.of(b, 3), batch.labels().shape());
        float[] v = values((TFloat32) batch.images());
        float[] oneHot = values((TFloat32) batch.labels());
        for (int r = 0; r < b; r++) {
          int example = (int) v[r * 4] / 4;
          for (int k = 0; k < 4; k++) {
            assertEquals(example * 4 + k, v[r * 4 + k]);
          }
          for (int c = 0; c < 3; c++) {
            assertEquals(c == labels[example] ? 1f : 0f, oneHot[r * 3 + c], "example " + example + " class " + c);
          }
        }
      }
    }
  }

  @Test
  void scalarExamplesMakeVectorBatches() {
    ArraySource source = ArraySource.flat(new float[] {-2.5f, 0f, 7.25f}, Shape.scalar()).batchSize(8).build();
    try (Batch batch = source.batch(0, 0)) {
      assertEquals(Shape.of(3), batch.images().shape());
      float[] v = values((TFloat32) batch.images());
      Arrays.sort(v);
      assertArrayEquals(new float[] {-2.5f, 0f, 7.25f}, v);
    }
  }

  @Test
  void rowsAndLabelsAreCopied() {
    float[][] rows = rows();
    int[] labels = new int[N];
    ArraySource source = ArraySource.rows(rows).labels(labels, 2).batchSize(N).build();
    for (float[] row : rows) {
      Arrays.fill(row, 9f);
    }
    Arrays.fill(labels, 1);
    float[][] original = rows();
    try (Batch batch = source.batch(0, 0)) {
      float[] v = values((TFloat32) batch.images());
      float[] oneHot = values((TFloat32) batch.labels());
      int[] order = source.order(0);
      for (int r = 0; r < N; r++) {
        assertArrayEquals(original[order[r]], Arrays.copyOfRange(v, r * 3, r * 3 + 3), "row " + r);
        assertEquals(1f, oneHot[r * 2], "row " + r + " is still of class 0");
      }
    }
  }

  @Test
  void defaultsAreNamed() {
    ArraySource source = ArraySource.rows(rows()).build();
    assertEquals(ArraySource.BATCH_SIZE_DEFAULT, source.batchSize());
    assertEquals(32, source.batchSize());
    assertEquals(ArraySource.SEED_DEFAULT, source.seed());
    assertEquals(1, source.stepsPerEpoch());
    assertEquals(Shape.of(3), source.exampleShape());
    assertEquals(N, source.count());
  }

  @Test
  void manyThreadsGetTheBatchesOneThreadGets() throws Exception {
    ArraySource source = ArraySource.rows(rows()).batchSize(3).seed(9).build();
    ArraySource reference = ArraySource.rows(rows()).batchSize(3).seed(9).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      List<float[]> expected = new ArrayList<>();
      for (int k = 0; k < 200; k++) {
        long epoch = k % 7;
        int step = k % 4;
        try (Batch b = reference.batch(epoch, step)) {
          expected.add(values((TFloat32) b.images()));
        }
        futures.add(pool.submit(() -> {
          try (Batch b = source.batch(epoch, step)) {
            return values((TFloat32) b.images());
          }
        }));
      }
      for (int k = 0; k < futures.size(); k++) {
        assertArrayEquals(expected.get(k), futures.get(k).get(), "request " + k);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesBadShapesWithWhatWasExpected() {
    assertEquals("ArraySource: expected rows of 3 values (an example of shape [3]), got 2 values in row 1",
        message(() -> ArraySource.rows(new float[][] {{1, 2, 3}, {4, 5}})));
    assertEquals("ArraySource: expected rows of 4 values (an example of shape [2, 2]), got 3 values in row 0",
        message(() -> ArraySource.rows(new float[][] {{1, 2, 3}}, Shape.of(2, 2))));
    assertEquals("ArraySource: expected at least one row of at least one value, got no rows",
        message(() -> ArraySource.rows(new float[0][])));
    assertEquals("ArraySource: expected at least one row of at least one value, got an empty row 0",
        message(() -> ArraySource.rows(new float[][] {{}})));
    assertEquals("ArraySource: expected a positive multiple of 4 values (examples of shape [2, 2]), got 6",
        message(() -> ArraySource.flat(new float[6], Shape.of(2, 2))));
    assertEquals("ArraySource: expected a positive multiple of 4 values (examples of shape [2, 2]), got 0",
        message(() -> ArraySource.flat(new float[0], Shape.of(2, 2))));
    assertEquals("ArraySource: expected an example shape with every dimension known, got [-1, 2]",
        message(() -> ArraySource.flat(new float[4], Shape.of(-1, 2))));
    assertEquals("ArraySource: expected an example shape of positive dimensions, got [0, 2]",
        message(() -> ArraySource.flat(new float[4], Shape.of(0, 2))));
    assertEquals("ArraySource: expected finite values, got NaN at value 1 of example 1",
        message(() -> ArraySource.flat(new float[] {0, 0, 0, Float.NaN}, Shape.of(2))));
  }

  @Test
  void refusesBadLabelsAndBatchingWithWhatWasExpected() {
    ArraySource.Builder builder = ArraySource.rows(rows());
    assertEquals("ArraySource: expected 10 labels (one per example), got 9", message(() -> builder.labels(new int[9], 2)));
    int[] labels = new int[N];
    labels[4] = 2;
    assertEquals("ArraySource: expected labels in [0, 2), got 2 for example 4", message(() -> builder.labels(labels, 2)));
    labels[4] = -1;
    assertEquals("ArraySource: expected labels in [0, 2), got -1 for example 4", message(() -> builder.labels(labels, 2)));
    assertEquals("ArraySource: expected a positive number of classes, got 0", message(() -> builder.labels(new int[N], 0)));
    assertEquals("ArraySource: expected a positive batch size, got 0", message(() -> builder.batchSize(0)));
    ArraySource source = builder.batchSize(4).build();
    assertEquals("ArraySource: expected a step in [0, 3), got 3", message(() -> source.batch(0, 3)));
    assertEquals("ArraySource: expected a non-negative epoch, got -1", message(() -> source.batch(-1, 0)));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
