package io.jgan.data;

import org.tensorflow.types.TFloat32;

/**
 * One batch of real examples, already scaled for the network.
 *
 * @param images [batch, height, width, channels]
 * @param labels one-hot class labels [batch, classes] for conditional presets, else null
 */
public record Batch(TFloat32 images, TFloat32 labels) implements AutoCloseable {
  public long size() {
    return images.shape().size(0);
  }

  @Override
  public void close() {
    images.close();
    if (labels != null) {
      labels.close();
    }
  }
}
