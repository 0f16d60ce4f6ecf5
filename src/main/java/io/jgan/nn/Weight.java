package io.jgan.nn;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One variable of a layer, as Keras names it ({@code kernel}, {@code bias}, {@code gamma},
 * {@code beta}, {@code moving_mean}, {@code moving_variance}).
 *
 * @param name the Keras weight name ({@code kernel}, {@code gamma}, ...)
 * @param trackableName the attribute under which Keras 3 tracks it in a checkpoint's object graph:
 *     the name, except the kernels of Dense and Conv2D, which Keras 3 keeps as {@code _kernel}
 *     (Conv2DTranspose's stays {@code kernel})
 * @param path a readable unique path, e.g. {@code generator/1_dense/kernel}
 * @param variable the graph variable
 * @param shape its static shape
 * @param trainable whether an optimizer updates it (BatchNorm moving statistics are not)
 */
public record Weight(
    String name, String trackableName, String path, Variable<TFloat32> variable, Shape shape, boolean trainable) {}
