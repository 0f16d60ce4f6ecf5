package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * What a training pass of one replica (one tower of a data-parallel step, built by the training
 * layer above this package) shares with the others: the layers that need the whole
 * global batch ask it for sums over every replica, and it says which replica writes the pass's
 * state.
 *
 * <p>Keras 3 under {@code tf.distribute.MirroredStrategy}: a BatchNormalization layer normalises
 * each replica's batch with that replica's own statistics, and each replica updates its own copy of
 * the moving statistics; replica 0's copy is the one read outside the replicas and saved (checked
 * with TensorFlow 2.18 and Keras 3.15: the per-replica copies are mirrored variables with
 * aggregation NONE). With {@code BatchNormalization(synchronized=True)} the batch statistics are
 * those of the global batch, computed with all-reduces.
 *
 * <pre>{@code
 * CrossReplica replicas = ctx.crossReplica();   // null outside a replicated step
 * if (replicas != null && replicas.syncBatchNorm()) {
 *   List<Operand<T>> global = replicas.sum(tf, List.of(sum, count));
 * }
 * }</pre>
 */
public interface CrossReplica {
  /**
   * The sum over all replicas of {@code values} (every replica passes tensors of the same shapes,
   * in the same order): one all-reduce. Differentiable: the gradient of a replica's input is the
   * sum over replicas of the gradients of their outputs.
   */
  <T extends TFloating> List<Operand<T>> sum(Ops tf, List<Operand<T>> values);

  /** Whether BatchNormalization normalises with the statistics of the global batch (Keras {@code synchronized=True}). */
  boolean syncBatchNorm();

  /** Whether this replica writes the pass's state (BatchNorm moving statistics): replica 0 only. */
  boolean writesState();
}
