package io.jgan.nn;

import java.util.Objects;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow 2 resource variable, as Keras 3 creates every weight, statistic and optimizer slot:
 * a {@code VarHandleOp} whose value is read by {@code ReadVariableOp} and written by
 * {@code AssignVariableOp} / {@code AssignAddVariableOp} / {@code AssignSubVariableOp}. Unlike the
 * TensorFlow 1 reference variables it replaces ({@code VariableV2}), a read is an op of its own
 * that sees the value when it runs, so every read that must come before or after an update is
 * ordered by an explicit control dependency; TFLite, the TF.js converter and tf2onnx take such
 * graphs (a {@code VariableV2} makes TFLite's converter fail: "expects all users to be tf.Identity").
 *
 * <pre>{@code
 * ResourceVariable<TFloat32> v = ResourceVariable.create(tf, "counter", TFloat32.class, Shape.scalar());
 * Op init = v.assign(tf, tf.constant(0f));
 * Op increment = v.assignAdd(tf, tf.constant(1f));
 * Operand<TFloat32> value = v.read(tf);
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class ResourceVariable<T extends TType> {
  private final VarHandleOp handle;
  private final Class<T> dtype;
  private final Shape shape;

  private ResourceVariable(VarHandleOp handle, Class<T> dtype, Shape shape) {
    this.handle = handle;
    this.dtype = dtype;
    this.shape = shape;
  }

  /**
   * A new variable: its handle op is named {@code tf}'s name ({@code withName}), and the resource it
   * holds {@code sharedName}, which must be unique in the graph: a {@code VarHandleOp} without a
   * shared name would share one resource with every other such op of the session (Python's
   * {@code tf.Variable} passes its unique name the same way).
   */
  public static <T extends TType> ResourceVariable<T> create(Ops tf, String sharedName, Class<T> dtype, Shape shape) {
    return new ResourceVariable<>(tf.varHandleOp(dtype, shape, VarHandleOp.sharedName(sharedName)), dtype, shape);
  }

  /**
   * The value as it is when this read runs (order it with control dependencies where it matters).
   * The read carries no device of its own, whatever {@code tf}'s: TensorFlow then places it with
   * the variable, and sends the value to the device of the ops that use it. A read pinned to
   * another device would drag the variable there with it (a resource and its readers are
   * colocated), and the towers of a data-parallel step, each on its own device, would ask for the
   * same variable on several devices.
   */
  public Operand<T> read(Ops tf) {
    return tf.withDevice(ANY_DEVICE).readVariableOp(handle, dtype);
  }

  /** No device: the placer colocates the op with its resource. */
  private static final DeviceSpec ANY_DEVICE = DeviceSpec.newBuilder().build();

  public Op assign(Ops tf, Operand<? extends TType> value) {
    return tf.assignVariableOp(handle, value);
  }

  public Op assignAdd(Ops tf, Operand<T> delta) {
    return tf.assignAddVariableOp(handle, delta);
  }

  public Op assignSub(Ops tf, Operand<T> delta) {
    return tf.assignSubVariableOp(handle, delta);
  }

  /** The variable typed as {@code type}; fails for another type. */
  @SuppressWarnings("unchecked")
  public <U extends TType> ResourceVariable<U> as(Class<U> type) {
    if (type != dtype) {
      throw new IllegalArgumentException(name() + ": expected a " + type.getSimpleName() + " variable, got "
          + dtype.getSimpleName());
    }
    return (ResourceVariable<U>) this;
  }

  public Class<T> dtype() {
    return dtype;
  }

  public Shape shape() {
    return shape;
  }

  /** The handle op's name, e.g. {@code generator/0_dense/kernel}. */
  public String name() {
    return handle.op().name();
  }

  /** The handle, for ops that take a resource. */
  public VarHandleOp handle() {
    return handle;
  }

  @Override
  public String toString() {
    return "ResourceVariable(" + name() + ", " + dtype.getSimpleName() + " " + shape + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceVariable<?> v && v.handle == handle;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(handle);
  }
}
