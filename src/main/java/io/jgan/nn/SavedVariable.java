package io.jgan.nn;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/**
 * A variable as a checkpoint saves it. Two instances with the same {@code variable} are the same
 * saved value.
 *
 * <pre>{@code
 * Trackable layer = children -> children.variable("kernel", kernel.saved());   // kernel: a Weight
 * }</pre>
 *
 * @param description a readable name for messages, e.g. {@code generator/0_dense/kernel}
 * @param variable the resource variable (its type is the saved type)
 * @param shape its static shape, checked on restore
 */
public record SavedVariable(String description, ResourceVariable<? extends TType> variable, Shape shape) {
  public Class<? extends TType> type() {
    return variable.dtype();
  }
}
