package io.jgan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgan.presets.Presets;
import io.jgan.train.graph.TrainingGraph;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/**
 * Each preset's step FLOPs against counts made by hand from the seeds' layer sizes (not from the
 * networks' shapes, which the code under test reads).
 */
class FlopCountTest {
  private static double flops(String preset, int batch, int classes) {
    try (TrainingGraph<TFloat32> g = TrainingGraph.float32(Presets.get(preset), 1, batch, classes, false)) {
      return FlopCount.stepFlops(g, batch);
    }
  }

  /**
   * Seed 004: G = Dense(100, 128), Dense(128, 784); D = Dense(784, 128), Dense(128, 1). A D run
   * and a G run per step (alternating), batch 128.
   */
  @Test
  void ganTf1ByHand() {
    long g1 = 100 * 128, g2 = 128 * 784, d1 = 784 * 128, d2 = 128;
    long gForward = g1 + g2, dForward = d1 + d2;
    long dRun = gForward              // G(z), inference mode
        + 2 * dForward                // D(x), D(G(z))
        + 2 * (d1 + d2)               // weight gradients of both D passes
        + 2 * d2;                     // input gradient of D's second layer in both passes (the first's input is data)
    long gRun = gForward + dForward   // D(G(z))
        + (d1 + d2)                   // input gradients through D, down to G's output
        + (g1 + g2)                   // G's weight gradients
        + g2;                         // input gradient of G's second layer (the first's input is noise)
    assertEquals(1_042_944, dRun + gRun); // the sum written out: 515,904 + 527,040
    assertEquals(2.0 * 128 * 1_042_944, flops("gan-tf1", 128, 0), 0.0);
  }

  /**
   * The TensorFlow DCGAN tutorial: G = Dense(100, 7*7*256), Conv2DTranspose 5x5 to 128 (7x7, stride 1),
   * to 64 (14x14), to 1 (28x28); D = Conv2D 5x5 to 64 (14x14), to 128 (7x7), Dense(6272, 1). One run.
   */
  @Test
  void dcganMnistByHand() {
    long g1 = 100L * 12544, g2 = 7 * 7 * (25L * 256 * 128), g3 = 7 * 7 * (25L * 128 * 64), g4 = 14 * 14 * (25L * 64);
    long d1 = 14 * 14 * (25L * 64), d2 = 7 * 7 * (25L * 64 * 128), d3 = 6272;
    long gF = g1 + g2 + g3 + g4, dF = d1 + d2 + d3;
    long perExample = gF + 2 * dF      // G(z), D(x), D(G(z))
        + 2 * (dF + (d2 + d3))         // d_loss: D's weight gradients and input gradients above layer 1, both passes
        + dF                           // g_loss: input gradients through D(G(z))
        + gF + (g2 + g3 + g4);         // G's weight gradients and input gradients above layer 1
    assertEquals(225_835_904L, perExample);
    assertEquals(2.0 * 256 * perExample, flops("dcgan-mnist", 256, 0), 0.0);
  }

  /**
   * Seed 003's WGAN-GP: G = Reshape(1x1x128), Conv2DTranspose 4x4 to 512 (4x4, valid), then stride 2
   * to 256, 128, 64 and 3 channels (64x64); the critic = Conv2D 4x4 stride 2 from 3 to 64, 128, 256,
   * 512 channels (32x32 down to 4x4), then 4x4 valid to 1. Three critic runs, each with the
   * gradient penalty, and a G run.
   */
  @Test
  void wganGpByHand() {
    long g1 = 16L * 128 * 512, g2 = 4 * 4 * (16L * 512 * 256), g3 = 8 * 8 * (16L * 256 * 128),
        g4 = 16 * 16 * (16L * 128 * 64), g5 = 32 * 32 * (16L * 64 * 3);
    long d1 = 32 * 32 * (16L * 3 * 64), d2 = 16 * 16 * (16L * 64 * 128), d3 = 8 * 8 * (16L * 128 * 256),
        d4 = 4 * 4 * (16L * 256 * 512), d5 = 16L * 512;
    long gF = g1 + g2 + g3 + g4 + g5, dF = d1 + d2 + d3 + d4 + d5;
    long critic = gF + 2 * dF           // G(z), D(G(z)), D(x)
        + 2 * (dF + dF - d1)            // Wasserstein term to D's weights: weight and input gradients above layer 1
        + dF + dF                       // D(x^) and its gradient with respect to x^ (all layers)
        + dF + (dF - d5);               // the penalty's gradient back through that: d/dW every layer, d/d(delta) below the top
    long generator = gF + dF + dF + gF + (gF - g1);
    assertEquals(2.0 * 4 * (3 * critic + generator), flops("wgan-gp", 4, 0), 0.0);
    assertEquals(FlopCount.StepKind.WGAN_GP, kindOf("cwgan-gp", 10));
    assertEquals(FlopCount.StepKind.ALTERNATING, kindOf("gan-mlp", 0));
    assertEquals(FlopCount.StepKind.SIMULTANEOUS, kindOf("dcgan-lego", 0));
  }

  private static FlopCount.StepKind kindOf(String preset, int classes) {
    try (TrainingGraph<TFloat32> g = TrainingGraph.float32(Presets.get(preset), 1, 4, classes, false)) {
      return FlopCount.kindOf(g.trainStep());
    }
  }
}
