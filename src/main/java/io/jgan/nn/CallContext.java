package io.jgan.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * What one forward pass of a network needs beyond its input: Keras's {@code training} flag, a
 * source of dropout randomness, the pass's reads of the variables, and a place to put the
 * BatchNorm moving-statistics updates.
 *
 * <p>One context is shared by every network call that belongs to one {@code session.run} (for
 * the DCGAN step: G(z), D(real) and D(fake)). Each variable is read once per context
 * ({@link #read}), so every call sees the same value and the gradient with respect to that read is
 * the gradient with respect to the variable; updates that follow the pass are ordered after all of
 * its reads ({@link #reads}). When a BatchNorm layer runs twice in one step, as the discriminator
 * does in the tutorial, Keras updates its moving statistics twice, in call order;
 * {@link #updateState} composes the updates the same way, and {@link #stateUpdateOps} assigns the
 * final values once.
 *
 * <pre>{@code
 * Operand<TFloat32> logits = d.call(tf, images, CallContext.inference());   // dropout off, moving statistics
 * CallContext pass = s.trainingPass();   // in a GanStep: dropout masks and batch statistics
 * }</pre>
 */
public final class CallContext {
  private final boolean training;
  private final RandomSource random;
  private final Map<ResourceVariable<?>, Operand<?>> reads = new LinkedHashMap<>();
  private final Map<ResourceVariable<?>, Operand<?>> pendingState = new LinkedHashMap<>();
  private final List<Operand<? extends TFloating>> dropoutKeepMasks = new ArrayList<>();
  private final List<Op> readsAfter;
  private final CrossReplica crossReplica;

  private CallContext(boolean training, RandomSource random, List<Op> readsAfter, CrossReplica crossReplica) {
    this.training = training;
    this.random = random;
    this.readsAfter = List.copyOf(readsAfter);
    this.crossReplica = crossReplica;
  }

  /** A training-mode pass: dropout on, batch statistics, moving statistics updated. */
  public static CallContext training(RandomSource random) {
    return new CallContext(true, random, List.of(), null);
  }

  /** An inference pass: no dropout, moving statistics used and left unchanged. */
  public static CallContext inference() {
    return new CallContext(false, null, List.of(), null);
  }

  /**
   * A training-mode pass whose reads of the variables run after {@code readsAfter} (e.g. the
   * updates of the step before it in the same session run). Only the reads wait: the other ops
   * of the pass carry no control dependency, so TensorFlow optimizes them as in any other pass.
   * (With a control input on every op of an unrolled step, its results differed from the single
   * step's in the last bits and it ran slower: Grappler's remapper does not fuse ops that have
   * control inputs, e.g. MatMul with its BiasAdd.)
   */
  public static CallContext training(RandomSource random, List<Op> readsAfter) {
    return new CallContext(true, random, readsAfter, null);
  }

  /**
   * A training-mode pass of one replica of a data-parallel step: as {@link #training(RandomSource)},
   * with the global batch's statistics when {@code crossReplica} synchronises BatchNorm, and state
   * written only by the replica that {@link CrossReplica#writesState() writes it}.
   */
  public static CallContext training(RandomSource random, CrossReplica crossReplica) {
    return new CallContext(true, random, List.of(), crossReplica);
  }

  /** An inference pass whose reads of the variables run after {@code readsAfter}. */
  public static CallContext inference(List<Op> readsAfter) {
    return new CallContext(false, null, readsAfter, null);
  }

  public boolean isTraining() {
    return training;
  }

  /** The other replicas of a data-parallel step, or null for a pass on one device. */
  public CrossReplica crossReplica() {
    return crossReplica;
  }

  /** The randomness of a training pass. */
  public RandomSource random() {
    if (random == null) {
      throw new IllegalStateException("an inference pass draws no random numbers");
    }
    return random;
  }

  /** This pass's read of {@code weight}, typed as the input it meets: one read op per variable per pass. */
  public <T extends TFloating> Operand<T> read(Ops tf, Weight weight, Class<T> type) {
    return read(tf, weight.as(type));
  }

  @SuppressWarnings("unchecked")
  private <T extends TFloating> Operand<T> read(Ops tf, ResourceVariable<T> variable) {
    return (Operand<T>) reads.computeIfAbsent(variable,
        v -> variable.read(readsAfter.isEmpty() ? tf : tf.withControlDependencies(readsAfter)));
  }

  /** Every read of this pass: what updates after it must wait for. */
  public List<Operand<?>> reads() {
    return List.copyOf(reads.values());
  }

  /** The value of a state variable as updated so far in this pass (this pass's read of it if not yet). */
  @SuppressWarnings("unchecked")
  public <T extends TFloating> Operand<T> currentState(Ops tf, ResourceVariable<T> variable) {
    Operand<?> pending = pendingState.get(variable);
    return pending != null ? (Operand<T>) pending : read(tf, variable);
  }

  /** Records a new value for a state variable (e.g. a BatchNorm moving mean). */
  public <T extends TFloating> void updateState(ResourceVariable<T> variable, Operand<T> newValue) {
    pendingState.put(variable, newValue);
  }

  /**
   * Assigns every state variable its final value of this pass; nothing in a replica that does not
   * write the state (see {@link CrossReplica#writesState()}).
   */
  public List<Op> stateUpdateOps(Ops tf) {
    List<Op> ops = new ArrayList<>();
    if (crossReplica != null && !crossReplica.writesState()) {
      return ops;
    }
    pendingState.forEach((variable, value) -> ops.add(variable.assign(tf, value)));
    return ops;
  }

  /**
   * Registers a dropout keep-mask (1 where kept, 0 where dropped) in call order, so a parity run can
   * feed the same masks as the Python reference.
   */
  void addDropoutKeepMask(Operand<? extends TFloating> mask) {
    dropoutKeepMasks.add(mask);
  }

  /** The dropout keep-masks of this pass, in the order the layers were called. */
  public List<Operand<? extends TFloating>> dropoutKeepMasks() {
    return List.copyOf(dropoutKeepMasks);
  }
}
