package io.jgan.train.distributed;

import java.lang.reflect.Method;
import org.tensorflow.Graph;
import org.tensorflow.internal.c_api.TF_Graph;

/**
 * The graph's native handle, held for the duration. TensorFlow Java 1.1.0 keeps
 * {@code Graph.ref()} package-private; it is reached by reflection (the library is on the class
 * path, an unnamed module, so nothing forbids it).
 */
final class NativeGraph implements AutoCloseable {
  final TF_Graph handle;
  private final AutoCloseable reference;

  NativeGraph(Graph graph) {
    try {
      Method ref = Graph.class.getDeclaredMethod("ref");
      ref.setAccessible(true);
      reference = (AutoCloseable) ref.invoke(graph);
      Method nativeHandle = reference.getClass().getDeclaredMethod("nativeHandle");
      nativeHandle.setAccessible(true);
      handle = (TF_Graph) nativeHandle.invoke(reference);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot reach the native graph of TensorFlow Java (expected version 1.1.0): " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      reference.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
