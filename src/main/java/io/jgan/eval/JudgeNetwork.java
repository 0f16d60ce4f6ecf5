package io.jgan.eval;

import io.jgan.nn.Activation;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Dense;
import io.jgan.nn.Dropout;
import io.jgan.nn.Flatten;
import io.jgan.nn.Padding;
import io.jgan.nn.Sequential;
import org.tensorflow.ndarray.Shape;

/**
 * The judge: a small convolutional classifier of 28x28 gray images (MNIST digits, Fashion-MNIST
 * garments) whose penultimate layer gives the features of the Frechet and kernel distances and
 * whose logits give the classifier score, the class shares and the label accuracy, as TF-GAN's
 * {@code mnist_score} / {@code mnist_frechet_distance} use a digit classifier in place of
 * Inception.
 *
 * <p>Two stacked pairs of 3x3 convolutions, the second of each with stride 2 instead of a max-pool
 * (all ReLU, same padding), then the feature layer and the logits:
 * <pre>
 *   input [28, 28, 1] scaled (x - 127.5) / 127.5
 *   Conv2D 32 3x3 ReLU            [28, 28, 32]
 *   Conv2D 32 3x3 stride 2 ReLU   [14, 14, 32]
 *   Conv2D 64 3x3 ReLU            [14, 14, 64]
 *   Conv2D 64 3x3 stride 2 ReLU   [7, 7, 64]
 *   Flatten                       [3136]
 *   Dense 128 ReLU                [128]        the features
 *   Dropout 0.3 (training only)
 *   Dense 10                      [10]         the logits
 * </pre>
 * Built as two networks, the feature extractor and the classifier head, so one inference pass
 * yields both outputs.
 */
public final class JudgeNetwork {
  /** One input image: 28x28 gray. */
  public static final Shape INPUT = Shape.of(28, 28, 1);
  /** Size of the feature layer. */
  public static final int FEATURES = 128;
  /** Dropout before the logits while training (regularises the small network; off in inference). */
  public static final double DROPOUT = 0.3;

  private JudgeNetwork() {}

  /** Input to the 128 features (after the ReLU of the feature layer). */
  public static Sequential features() {
    return new Sequential("judge_features", INPUT)
        .add(new Conv2d(32, 3).padding(Padding.SAME).activation(Activation.RELU))              // [28, 28, 32]
        .add(new Conv2d(32, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU))   // [14, 14, 32]
        .add(new Conv2d(64, 3).padding(Padding.SAME).activation(Activation.RELU))              // [14, 14, 64]
        .add(new Conv2d(64, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU))   // [7, 7, 64]
        .add(new Flatten())                                                                    // [3136]
        .add(new Dense(FEATURES).activation(Activation.RELU));                                 // [128]
  }

  /** Features to logits. */
  public static Sequential classifier(int classes) {
    return new Sequential("judge_classifier", Shape.of(FEATURES))
        .add(new Dropout(DROPOUT))
        .add(new Dense(classes));                                                              // [classes]
  }
}
