package io.jgan.train.distributed;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.DataType;

/**
 * Puts on a device the ops that TensorFlow Java built without one: the gradient ops.
 *
 * <p>{@code tf.gradients} (the C API's {@code TF_AddGradientsWithPrefix}) adds its ops with no
 * device, whatever device the calling scope names (checked: the ops of a gradient taken in a scope
 * on {@code /device:CPU:1} request no device), so TensorFlow's placer would put every replica's
 * backward pass on the default device, GPU 0. Python's graph mode gives them the device of the
 * enclosing {@code tf.device} scope; this does the same after the fact, with the C API's
 * {@code TF_SetRequestedDevice} (what Python's {@code Operation._set_device} calls), before any
 * session runs the graph.
 */
public final class Placement {
  private Placement() {}

  /** How many operations {@code graph} holds; ops are numbered in creation order. */
  public static int operationCount(Graph graph) {
    int n = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /**
   * Gives {@code device} to every op created after the first {@code firstNew} that requests no
   * device and touches no resource (variable reads stay with their variables; see
   * {@code ResourceVariable.read}); returns how many it placed.
   */
  public static int placeUnplaced(Graph graph, int firstNew, DeviceSpec device) {
    List<GraphOperation> unplaced = new ArrayList<>();
    int i = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); i++) {
      GraphOperation op = it.next();
      if (i >= firstNew && op.device().isEmpty() && !touchesResource(op)) {
        unplaced.add(op);
      }
    }
    if (unplaced.isEmpty()) {
      return 0;
    }
    String name = device.toString();
    try (NativeGraph g = new NativeGraph(graph)) {
      for (GraphOperation op : unplaced) {
        tensorflow.TF_SetRequestedDevice(g.handle, op.getUnsafeNativeHandle(), name);
      }
    }
    return unplaced.size();
  }

  private static boolean touchesResource(GraphOperation op) {
    for (int i = 0; i < op.numInputs(); i++) {
      if (op.input(i).dataType() == DataType.DT_RESOURCE) {
        return true;
      }
    }
    for (int i = 0; i < op.numOutputs(); i++) {
      if (op.output(i).dataType() == DataType.DT_RESOURCE) {
        return true;
      }
    }
    return false;
  }
}
