package io.jgan.train.graph;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** Float tensors of either type, made and copied in one place. */
public final class Tensors {
  private Tensors() {}

  /** One-hot rows [labels.length, classes] of {@code type}; every label must be in [0, classes). */
  @SuppressWarnings("unchecked")
  public static <T extends TFloating> T oneHot(int[] labels, int classes, Class<T> type) {
    if (classes <= 0) {
      throw new IllegalArgumentException("expected a conditional GAN's classes (> 0), got " + classes);
    }
    T out = Tensor.of(type, Shape.of(labels.length, classes));
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        out.close();
        throw new IllegalArgumentException("expected a label in [0, " + classes + "), got " + labels[i]);
      }
      for (int k = 0; k < classes; k++) {
        set(out, k == labels[i] ? 1 : 0, i, k); // every element: a new tensor is not zeroed
      }
    }
    return out;
  }

  private static void set(TFloating t, double value, long... index) {
    if (t instanceof TFloat32 f) {
      f.setFloat((float) value, index);
    } else {
      ((TFloat64) t).setDouble(value, index);
    }
  }

  /** A copy that outlives the Result it came from (reading a tensor after its Result closed returns garbage). */
  @SuppressWarnings("unchecked")
  public static <T extends TFloating> T copy(Tensor source) {
    if (source instanceof TFloat32 f) {
      TFloat32 copy = TFloat32.tensorOf(f.shape());
      f.copyTo(copy);
      return (T) copy;
    }
    TFloat64 d = (TFloat64) source;
    TFloat64 copy = TFloat64.tensorOf(d.shape());
    d.copyTo(copy);
    return (T) copy;
  }

  /** The value of a scalar float32 or float64 tensor. */
  public static double scalar(Tensor t) {
    return t instanceof TFloat32 f ? f.getFloat() : ((TFloat64) t).getDouble();
  }
}
