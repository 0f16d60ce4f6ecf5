package io.jgan.nn;

import static io.jgan.nn.Float64Testing.apply;
import static io.jgan.nn.Float64Testing.buildError;
import static io.jgan.nn.Float64Testing.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Concatenate and Add in float64: outputs against index arithmetic and sums written here from
 * Keras's definitions (exact, so compared exactly), gradients against central differences
 * ({@link GradientCheck}), and the errors for inputs they cannot take.
 */
class MergeLayersTest {

  @Test
  void concatenateJoinsOnTheLastAxisByDefaultAndOnAnyOtherNonBatchAxis() {
    int n = 2;
    double[] a = values(n * 2 * 3, 1, 1), b = values(n * 2 * 1, 2, 1);
    double[] expected = new double[n * 2 * 4];
    for (int i = 0; i < n * 2; i++) {
      for (int c = 0; c < 4; c++) {
        expected[i * 4 + c] = c < 3 ? a[i * 3 + c] : b[i];
      }
    }
    Functional last = merge(new Concatenate(), Shape.of(2, 3), Shape.of(2, 1));
    assertArrayEquals(expected, apply(last, List.of(a, b), List.of()), "axis -1");

    // axis 1 (the first of each example): [2, 3] and [1, 3] -> [3, 3]: a's rows, then b's.
    double[] c = values(n * 1 * 3, 3, 1);
    double[] rows = new double[n * 3 * 3];
    for (int e = 0; e < n; e++) {
      System.arraycopy(a, e * 6, rows, e * 9, 6);
      System.arraycopy(c, e * 3, rows, e * 9 + 6, 3);
    }
    Functional first = merge(new Concatenate().axis(1), Shape.of(2, 3), Shape.of(1, 3));
    assertArrayEquals(rows, apply(first, List.of(a, c), List.of()), "axis 1");
    assertEquals(Shape.of(3, 3), first.outputShape());
  }

  @Test
  void concatenateGradientSplitsBackToItsInputs() {
    GradientCheck.firstOrder(merge(new Concatenate().axis(-2), Shape.of(2, 3), Shape.of(1, 3), Shape.of(3, 3)),
        List.of(values(6, 4, 2), values(3, 5, 2), values(9, 6, 2)), List.of(), "concatenate");
  }

  @Test
  void concatenateRejectsTheBatchAxisAndMismatchedShapes() {
    assertEquals("expected an axis other than the batch axis 0, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Concatenate().axis(0)).getMessage());
    String mismatch = buildError(merge(new Concatenate(), Shape.of(4, 4, 8), Shape.of(8, 8, 3)));
    assertTrue(mismatch.contains("Concatenate expected inputs of equal shapes except on axis -1, got [[4, 4, 8], [8, 8, 3]]"),
        mismatch);
    String rank = buildError(merge(new Concatenate(), Shape.of(4), Shape.of(2, 2)));
    assertTrue(rank.contains("got [[4], [2, 2]]"), rank);
    String axis = buildError(merge(new Concatenate().axis(3), Shape.of(4, 2), Shape.of(4, 2)));
    assertTrue(axis.contains("Concatenate expected an axis in [-2, -1] or [1, 2] for inputs of shape [4, 2] (rank 3 with the "
        + "batch), got 3"), axis);
  }

  @Test
  void addSumsLeftToRightAndRejectsDifferentShapes() {
    double[] a = values(8, 7, 3), b = values(8, 8, 3), c = values(8, 9, 3);
    double[] expected = new double[8];
    for (int i = 0; i < 8; i++) {
      expected[i] = (a[i] + b[i]) + c[i]; // Keras: output = inputs[0]; output = output + inputs[i] ...
    }
    Functional add = merge(new Add(), Shape.of(2, 2), Shape.of(2, 2), Shape.of(2, 2));
    assertArrayEquals(expected, apply(add, List.of(a, b, c), List.of()), "add");
    GradientCheck.firstOrder(merge(new Add(), Shape.of(3), Shape.of(3)), List.of(values(6, 10, 1), values(6, 11, 1)),
        List.of(), "add");
    String error = buildError(merge(new Add(), Shape.of(4), Shape.of(1)));
    assertTrue(error.contains("Add expected inputs of one shape, got [[4], [1]]"), error);
  }

  /** A network of one merge layer on inputs of these shapes. */
  static Functional merge(MergeLayer layer, Shape... in) {
    Functional.Builder f = Functional.builder("net");
    List<Functional.Node> inputs = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      inputs.add(f.input("x" + i, in[i]));
    }
    return f.output(f.apply(layer, inputs));
  }
}
