package io.jgan.bench;

import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dense;
import io.jgan.nn.Layer;
import io.jgan.nn.Sequential;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * Multiply-accumulates of a network's forward pass for one example, from its layer shapes: a
 * convolution does (output pixels) x (kernel size), a transposed convolution (input pixels) x
 * (kernel size), a dense layer its kernel size. BatchNorm, activations and dropout (a few
 * operations per value) are left out. A training step's backward pass costs about twice its
 * forward pass (gradients for the weights and for the inputs), so a step is about 3 x 2 x MACs
 * FLOPs per example and network pass.
 */
public final class FlopCount {
  private FlopCount() {}

  public static long forwardMacs(Sequential network) {
    List<Layer> layers = network.layers();
    List<Shape> outputs = network.layerOutputShapes();
    long macs = 0;
    Shape in = network.inputShape();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (!layer.weights().isEmpty()) {
        long kernel = layer.weights().get(0).shape().size();
        if (layer instanceof Conv2d) {
          macs += outputs.get(i).size(0) * outputs.get(i).size(1) * kernel;
        } else if (layer instanceof Conv2dTranspose) {
          macs += in.size(0) * in.size(1) * kernel;
        } else if (layer instanceof Dense) {
          macs += kernel;
        }
      }
      in = outputs.get(i);
    }
    return macs;
  }

  /**
   * FLOPs of one step of the DCGAN tutorial's train step: G on the latent batch, D on the real and
   * the generated batch, each forward and backward.
   */
  public static double simultaneousStepFlops(Sequential generator, Sequential discriminator, long realBatch, long noiseBatch) {
    double forward = forwardMacs(generator) * (double) noiseBatch + forwardMacs(discriminator) * (double) (realBatch + noiseBatch);
    return 3 * 2 * forward;
  }
}
