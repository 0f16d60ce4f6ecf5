package io.jgan.train.distributed;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * TensorFlow's own all-reduce, the {@code CollectiveReduceV2} op, as {@code tf.distribute}'s
 * {@code MirroredStrategy} and {@code MultiWorkerMirroredStrategy} use it
 * ({@code collective_ops.all_reduce_v2}): every member of a group (one device of one process, or of
 * several processes joined by {@code org.tensorflow.Server}s) builds one op with the same group size,
 * group key and instance key, and each gets the sum (or the mean) of all members' inputs.
 *
 * <p>Why this op: TensorFlow Java 1.1.0 wraps the V3 ops ({@code CollectiveReduceV3}, whose
 * {@code CollectiveInitializeCommunicator} resource is an experimental path used by DTensor) and the
 * deprecated V1 {@code CollectiveReduce}, but not V2, which is the one tf.distribute builds; it is
 * made here by name with {@code opBuilder}. Its attributes (op def of TensorFlow 2.18): {@code T},
 * {@code merge_op} (Min, Max, Mul, Add), {@code final_op} (Id, Div), {@code communication_hint}
 * ("auto", "ring", "nccl"), {@code timeout_seconds}, {@code is_stateless},
 * {@code Nordering_token}, {@code max_subdivs_per_device}; inputs {@code input}, {@code group_size},
 * {@code group_key}, {@code instance_key} (int32 scalars) and a list of ordering tokens (none here).
 * {@code NcclAllReduce} would serve GPUs in one process only; the collective op serves CPUs, GPUs
 * (with {@code communication_hint = "nccl"}) and several processes alike.
 *
 * <p>TensorFlow has no gradient for it in C++ (Python's tf.distribute defines one with
 * {@code custom_gradient}); {@link #registerGradient} registers the same: the gradient of an
 * all-reduce sum is the all-reduce sum of the gradients (the mean for a mean), taken by the same
 * group under an instance key derived from the forward one. Synchronised BatchNorm differentiates
 * through it.
 *
 * <p>Instance keys must be equal on every member and distinct between the collectives of a
 * member: each replica allocates them from its own counter in the order it builds its collectives
 * ({@link InstanceKeys}), and replicas build the same ops in the same order. A backward all-reduce
 * takes the forward key plus {@code (k + 1) * BACKWARD_STRIDE} for the k-th gradient taken through
 * the forward op (counted in the graph: the consumers of the forward key), again the same on every
 * replica.
 */
public final class Collectives {
  static final String OP_TYPE = "CollectiveReduceV2";
  /** Forward instance keys stay below this; backward keys are offset by multiples of it. */
  static final int BACKWARD_STRIDE = 1 << 20;

  private static boolean gradientRegistered;

  private Collectives() {}

  /**
   * The members of an all-reduce: {@code size} devices (all replicas of all processes), one group
   * key, a communication hint ({@code "auto"} on CPUs, {@code "nccl"} between GPUs) and the seconds
   * after which a member that still waits for the others fails (0: wait for ever).
   */
  public record Group(int size, int key, String communicationHint, float timeoutSeconds) {
    public Group {
      if (size < 1) {
        throw new IllegalArgumentException("expected a group of at least 1 member, got " + size);
      }
    }
  }

  /** How the members' inputs are combined. */
  public enum Reduction {
    SUM("Add", "Id"),
    MEAN("Add", "Div"),
    MIN("Min", "Id"),
    MAX("Max", "Id");

    final String mergeOp;
    final String finalOp;

    Reduction(String mergeOp, String finalOp) {
      this.mergeOp = mergeOp;
      this.finalOp = finalOp;
    }
  }

  /** Allocates a replica's instance keys, 1, 2, 3, ... in the order its collectives are built. */
  public static final class InstanceKeys {
    private int next = 1;

    public int next() {
      if (next >= BACKWARD_STRIDE) {
        throw new IllegalStateException("more than " + (BACKWARD_STRIDE - 1) + " all-reduces in one graph");
      }
      return next++;
    }
  }

  /**
   * The all-reduce of {@code values} (any shapes, one type) as one collective: the values are
   * flattened into one vector, reduced, and split back into their shapes. One op per call keeps the
   * number of rendezvous per step small (a round trip each between processes), as tf.distribute
   * packs gradients.
   *
   * @param tf where the op goes, with the member's device
   */
  public static <T extends TFloating> List<Operand<T>> allReduce(Ops tf, List<? extends Operand<T>> values, Group group,
      int instanceKey, Reduction reduction) {
    if (values.isEmpty()) {
      return List.of();
    }
    registerGradient();
    Ops all = tf.withSubScope("all_reduce");
    if (values.size() == 1 && values.get(0).shape().numDimensions() == 1) {
      return List.of(reduce(all, values.get(0), group, instanceKey, reduction));
    }
    // Sizes and shapes as constants where the graph knows them (weights' gradients always), so
    // that Grappler's shape inference follows the split; from the tensors otherwise.
    boolean known = values.stream().allMatch(v -> v.shape().numDimensions() >= 0 && !v.shape().hasUnknownDimension());
    List<Operand<T>> flat = new ArrayList<>();
    List<Operand<TInt64>> sizes = new ArrayList<>();
    List<Operand<TInt64>> shapes = new ArrayList<>();
    for (Operand<T> v : values) {
      flat.add(all.reshape(v, all.constant(new long[] {-1})));
      sizes.add(known ? all.constant(new long[] {v.shape().size()})
          : all.reshape(all.size(v, TInt64.class), all.constant(new long[] {1})));
      shapes.add(known ? all.constant(v.shape().asArray()) : all.shape(v, TInt64.class));
    }
    Operand<T> packed = values.size() == 1 ? flat.get(0) : all.concat(flat, all.constant(0));
    Operand<T> reduced = reduce(all, packed, group, instanceKey, reduction);
    List<Operand<T>> out = new ArrayList<>();
    if (values.size() == 1) {
      out.add(all.reshape(reduced, shapes.get(0)));
      return out;
    }
    var parts = all.splitV(reduced, all.concat(sizes, all.constant(0)), all.constant(0), (long) values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(all.reshape(parts.output().get(i), shapes.get(i)));
    }
    return out;
  }

  /** One {@code CollectiveReduceV2} of {@code input} (group, key) on {@code tf}'s device. */
  public static <T extends TFloating> Operand<T> reduce(Ops tf, Operand<T> input, Group group, int instanceKey, Reduction reduction) {
    return reduce(tf, input, tf.constant(group.size()), tf.constant(group.key()), tf.constant(instanceKey), reduction.mergeOp,
        reduction.finalOp, group.communicationHint(), group.timeoutSeconds(), null);
  }

  private static <T extends TFloating> Operand<T> reduce(Ops tf, Operand<T> input, Operand<TInt32> groupSize,
      Operand<TInt32> groupKey, Operand<TInt32> instanceKey, String mergeOp, String finalOp, String hint,
      float timeoutSeconds, String device) {
    OperationBuilder builder = tf.scope().opBuilder(OP_TYPE, "CollectiveReduceV2");
    if (device != null) {
      builder.setDevice(device);
    }
    Operation op = builder
        .addInput(input.asOutput())
        .addInput(groupSize.asOutput())
        .addInput(groupKey.asOutput())
        .addInput(instanceKey.asOutput())
        .addInputList(new Output<?>[0])
        .setAttr("merge_op", mergeOp)
        .setAttr("final_op", finalOp)
        .setAttr("communication_hint", hint)
        .setAttr("timeout_seconds", timeoutSeconds)
        .build();
    return op.<T>output(0);
  }

  /**
   * Registers the all-reduce's gradient with TensorFlow Java (once per JVM; TensorFlow Java 1.1.0
   * allows ten custom gradients in all, this is the project's only one). For outputs
   * {@code y_s = sum_r x_r} on every member s, {@code dL/dx_r = sum_s dL/dy_s}: an all-reduce sum of
   * the incoming gradients, built on the forward op's device and group; a mean's gradient is the
   * mean of them.
   */
  public static synchronized void registerGradient() {
    if (gradientRegistered) {
      return;
    }
    if (!TensorFlow.registerCustomGradient(OP_TYPE, Collectives::gradient)) {
      throw new IllegalStateException("TensorFlow refused a gradient for " + OP_TYPE + " (one is already defined?)");
    }
    gradientRegistered = true;
  }

  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> gradInputs) {
    String merge = op.attributes().getAttrString("merge_op");
    if (!merge.equals("Add")) {
      throw new IllegalStateException(op.name() + ": no gradient for an all-reduce with merge_op " + merge);
    }
    @SuppressWarnings("unchecked")
    Output<TInt32> instanceKey = (Output<TInt32>) op.input(3);
    // The k-th gradient through this op: its instance key's consumers are the op itself and one
    // key derivation per earlier gradient. Counted in the graph, the same on every replica.
    int k = ((GraphOperation) instanceKey.op()).numConsumers(instanceKey.index()) - 1;
    Operand<TInt32> backwardKey = tf.math.add(instanceKey, tf.constant((k + 1) * BACKWARD_STRIDE));
    @SuppressWarnings("unchecked")
    Operand<TFloating> dy = (Operand<TFloating>) gradInputs.get(0);
    @SuppressWarnings("unchecked")
    Operand<TInt32> groupSize = (Operand<TInt32>) op.input(1);
    @SuppressWarnings("unchecked")
    Operand<TInt32> groupKey = (Operand<TInt32>) op.input(2);
    Operand<TFloating> dx = reduce(tf, dy, groupSize, groupKey, backwardKey, merge, op.attributes().getAttrString("final_op"),
        op.attributes().getAttrString("communication_hint"), op.attributes().getAttrFloat("timeout_seconds"),
        // Two members on one device would be one member twice: the backward op takes the forward
        // op's device. Set on the op itself: TensorFlow Java's gradient scope drops scope devices.
        op.device());
    List<Operand<?>> grads = new ArrayList<>();
    grads.add(dx);
    for (int i = 1; i < 4; i++) {
      // The int32 group size and keys (scalars) have no gradient. A constant, not zerosLike of the
      // key, which would add a consumer to the count above.
      grads.add(tf.constant(0));
    }
    return grads;
  }
}
