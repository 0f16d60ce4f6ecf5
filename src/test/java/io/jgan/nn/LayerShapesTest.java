package io.jgan.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Output sizes of the convolution layers against Keras's formulas. The expected sizes were worked
 * out by hand from Keras's {@code conv_output_length} (same: ceil(n / s); valid: floor((n - k) / s) + 1)
 * and {@code deconv_output_length} (same: n * s; valid: n * s + max(k - s, 0)); each case is checked
 * both as the shape the layer reports at build time and as the shape of the tensor it computes.
 */
class LayerShapesTest {

  @ParameterizedTest(name = "Conv2D k{1} s{2} {3} on {0}x{0} -> {4}")
  @CsvSource({
      "28, 5, 2, SAME, 14", "28, 5, 2, VALID, 12", "28, 5, 1, SAME, 28", "28, 5, 1, VALID, 24",
      "14, 5, 2, SAME, 7", "7, 4, 2, SAME, 4", "7, 4, 2, VALID, 2", "4, 4, 1, VALID, 1",
      "64, 4, 2, SAME, 32", "8, 4, 1, SAME, 8", "9, 4, 2, VALID, 3", "5, 5, 1, VALID, 1"})
  void conv2dMatchesKerasSizes(int in, int kernel, int stride, Padding padding, int expected) {
    assertLayerOutput(new Conv2d(3, kernel).strides(stride).padding(padding),
        in, new long[] {expected, expected, 3});
  }

  @ParameterizedTest(name = "Conv2DTranspose k{1} s{2} {3} on {0}x{0} -> {4}")
  @CsvSource({
      "7, 5, 1, SAME, 7", "7, 5, 2, SAME, 14", "14, 5, 2, SAME, 28", "7, 5, 2, VALID, 17",
      "7, 5, 1, VALID, 11", "1, 4, 1, VALID, 4", "4, 4, 2, SAME, 8", "4, 4, 2, VALID, 10",
      "32, 4, 2, SAME, 64", "3, 4, 1, SAME, 3", "2, 4, 1, VALID, 5", "3, 5, 2, VALID, 9"})
  void conv2dTransposeMatchesKerasSizes(int in, int kernel, int stride, Padding padding, int expected) {
    assertLayerOutput(new Conv2dTranspose(3, kernel).strides(stride).padding(padding).noBias(),
        in, new long[] {expected, expected, 3});
  }

  @Test
  void dcganTutorialShapesChainAsInTheSeedsAsserts() {
    // The seed's asserts: (7,7,256) -> (7,7,128) -> (14,14,64) -> (28,28,1).
    Sequential g = io.jgan.presets.DcganTutorial.generator(100);
    try (Graph graph = new Graph()) {
      g.build(Ops.create(graph), 1);
      assertEquals(Shape.of(28, 28, 1), g.outputShape());
      Sequential d = io.jgan.presets.DcganTutorial.discriminator().build(Ops.create(graph), 1);
      assertEquals(Shape.of(1), d.outputShape());
    }
  }

  @Test
  void validConvolutionRejectsInputSmallerThanKernel() {
    Sequential s = new Sequential("net", Shape.of(3, 3, 1))
        .add(new Conv2d(1, 4));
    try (Graph graph = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.build(Ops.create(graph), 1));
      assertEquals("net layer 0 (Conv2D): expected an input of at least the kernel size 4 for valid padding, got 3", e.getMessage());
    }
  }

  @Test
  void denseRejectsImageInput() {
    Sequential s = new Sequential("net", Shape.of(28, 28, 1)).add(new Dense(10));
    try (Graph graph = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.build(Ops.create(graph), 1));
      assertEquals("net layer 0 (Dense): Dense expected a vector input [features], got [28, 28, 1]; add a Flatten first", e.getMessage());
    }
  }

  @Test
  void layersRejectNonPositiveArguments() {
    assertEquals("expected a positive stride, got 0", assertThrows(IllegalArgumentException.class,
        () -> new Conv2d(8, 4).strides(0).padding(Padding.SAME).kernelInitializer(Initializers.zeros())).getMessage());
    assertEquals("expected a dropout rate in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f)).getMessage());
  }

  private static void assertLayerOutput(Layer layer, int in, long[] expected) {
    Sequential s = new Sequential("net", Shape.of(in, in, 2)).add(layer);
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      s.build(tf, 7);
      assertArrayEquals(expected, s.outputShape().asArray(), "shape reported at build time");
      session.run(tf.withControlDependencies(s.initOps()).noOp());
      Operand<TFloat32> y = s.call(tf, tf.zeros(tf.constant(new long[] {2, in, in, 2}), TFloat32.class), CallContext.inference());
      try (Result r = session.runner().fetch(y).run()) {
        assertArrayEquals(new long[] {2, expected[0], expected[1], expected[2]}, r.get(0).shape().asArray(), "computed shape");
      }
    }
  }
}
