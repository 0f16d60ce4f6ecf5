package io.jgan.run;

import java.io.PrintStream;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * {@code --device cpu|gpu}. A GPU is used only when TensorFlow can place an op on one: with the CPU
 * build of the natives (the default; {@code mvn -Pgpu} selects the CUDA build), or without a CUDA
 * device, a GPU request falls back to the CPU with a warning, as seed 002 does.
 */
public final class Devices {
  private Devices() {}

  /** Whether to run on the GPU, printing a warning when one was asked for but cannot be used. */
  public static boolean resolve(String device, PrintStream out) {
    if (!"gpu".equals(device)) {
      return false;
    }
    String problem = gpuProblem();
    if (problem == null) {
      out.println("Device: GPU");
      return true;
    }
    out.println("Warning: no usable GPU (" + problem + "); falling back to the CPU."
        + " The GPU build of TensorFlow is selected with mvn -Pgpu and needs CUDA 12 and cuDNN 9.");
    return false;
  }

  /** The most GPUs probed by {@link #usableGpus}. */
  static final int MAX_GPUS = 16;

  /** How many GPUs, 0 to {@code n - 1}, can run an op (0 with the CPU build of the natives). */
  public static int usableGpus() {
    int n = 0;
    while (n < MAX_GPUS && gpuProblem(n) == null) {
      n++;
    }
    return n;
  }

  /** Prints {@code gpus=N}, the usable GPUs ({@code scripts/gpu-check.sh} asks before it checks them). */
  public static void main(String[] args) {
    System.out.println("gpus=" + usableGpus());
  }

  /** Whether GPUs 0 to {@code n - 1} can all run an op (the replicas of {@code train --replicas n --device gpu}). */
  public static boolean gpusUsable(int n) {
    return gpuProblem(n - 1) == null;
  }

  /** Null when an op can run on GPU 0, else why not. */
  static String gpuProblem() {
    return gpuProblem(0);
  }

  /** Null when an op can run on GPU {@code index}, else why not. */
  static String gpuProblem(int index) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(index).build());
      var probe = tf.math.add(tf.constant(1f), tf.constant(1f));
      try (Result r = s.runner().fetch(probe).run()) {
        return null;
      }
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      return nl < 0 ? m : m.substring(0, nl);
    }
  }
}
