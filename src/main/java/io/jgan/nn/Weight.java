package io.jgan.nn;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TFloating;

/**
 * One variable of a layer, as Keras names it ({@code kernel}, {@code bias}, {@code gamma},
 * {@code beta}, {@code moving_mean}, {@code moving_variance}).
 *
 * <pre>{@code
 * for (Weight w : g.trainableWeights()) {
 *   System.out.println(w.path() + " " + w.shape());
 * }
 * }</pre>
 *
 * @param name the Keras weight name ({@code kernel}, {@code gamma}, ...)
 * @param trackableName the attribute under which Keras 3 tracks it in a checkpoint's object graph:
 *     the name, except the kernels of Dense and Conv2D, which Keras 3 keeps as {@code _kernel}
 *     (Conv2DTranspose's stays {@code kernel})
 * @param path a readable unique path, e.g. {@code generator/1_dense/kernel}
 * @param variable the resource variable, float32 or float64 as the network was built
 * @param shape its static shape
 * @param trainable whether an optimizer updates it (BatchNorm moving statistics are not)
 */
public record Weight(
    String name, String trackableName, String path, ResourceVariable<? extends TFloating> variable, Shape shape,
    boolean trainable) {

  /** This weight as a checkpoint saves it. */
  public SavedVariable saved() {
    return new SavedVariable(path, variable, shape);
  }

  /** The variable typed as {@code type}; fails when the network was built in another type. */
  @SuppressWarnings("unchecked")
  public <T extends TFloating> ResourceVariable<T> as(Class<T> type) {
    if (variable.dtype() != type) {
      throw new IllegalArgumentException(path + ": expected a " + FloatTypes.name(type) + " input, got a network built in "
          + FloatTypes.name(variable.dtype()));
    }
    return (ResourceVariable<T>) variable;
  }
}
