package io.jgan.nn;

import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Stateless randomness keyed on (run seed, stream, step).
 *
 * <p>TensorFlow's stateful random ops restart their sequence in every new session, so a resumed
 * run would replay step 0's noise. Here every random tensor is a {@code StatelessRandom*} op whose
 * key is {@code [mix(runSeed, stream), step * SUBSTEPS + substep]}: the same run seed, stream and
 * step always give the same numbers, so N steps straight through and a run killed and resumed at step k draw exactly the
 * same noise, dropout masks, label noise and gradient-penalty alphas.
 *
 * <p>A step that runs the same ops several times (WGAN-GP's critic iterations) feeds a different
 * {@code substep} each time, so each iteration draws fresh numbers.
 *
 * <p>Streams below {@link #FIRST_ALLOCATED_STREAM} have fixed meanings (initial weights, the fixed
 * sample-grid noise, ...). Every other random op in a graph asks {@link #newStream()} for its own
 * stream at construction; the graph is built in the same order on every run, so the numbering is
 * stable.
 *
 * <pre>{@code
 * Operand<TInt64> key = RandomSource.fixedKey(tf, 42, RandomSource.STREAM_SAMPLE_GRID, 0);
 * Operand<TFloat32> z = RandomSource.normal(tf, tf.constant(new long[] {16, 100}), key, TFloat32.class);
 * }</pre>
 */
public final class RandomSource {
  /** Initial weights: counter = the String.hashCode of the weight's path (see WeightFactory). */
  public static final int STREAM_INIT = 1;
  /** The fixed latent vectors of the per-epoch sample grid. */
  public static final int STREAM_SAMPLE_GRID = 2;
  /** Latent vectors of the {@code generate} command (keyed on its own --seed). */
  public static final int STREAM_GENERATE = 3;
  /** The probe sample whose discriminator logit is printed before training. */
  public static final int STREAM_PROBE = 4;
  /**
   * Latent vectors of sample-quality evaluation ({@code evaluate}, and {@code train --eval-every}
   * keyed on the run seed): a stream of its own, so evaluating never changes a training draw.
   */
  public static final int STREAM_EVALUATE = 5;

  static final int FIRST_ALLOCATED_STREAM = 1000;
  /** Sub-steps per step: a step may run its ops up to this many times with distinct keys. */
  public static final long SUBSTEPS = 16;

  private final long runSeed;
  private final Operand<TInt64> step;
  private final Operand<TInt64> substep;
  private final AtomicInteger nextStream = new AtomicInteger(FIRST_ALLOCATED_STREAM);
  private final java.util.Map<String, Operand<?>> named = new java.util.LinkedHashMap<>();

  /**
   * @param runSeed the run's seed ({@code --seed})
   * @param step the training step; fed on every training run, 0 when not fed
   */
  public RandomSource(long runSeed, Operand<TInt64> step, Operand<TInt64> substep) {
    this(runSeed, step, substep, FIRST_ALLOCATED_STREAM);
  }

  private RandomSource(long runSeed, Operand<TInt64> step, Operand<TInt64> substep, int firstStream) {
    this.runSeed = runSeed;
    this.step = step;
    this.substep = substep;
    this.nextStream.set(firstStream);
  }

  /**
   * A source for another copy of ops already built from this one (a train step unrolled several
   * times into one graph): the same run seed, the copy's own step and sub-step counters, and stream
   * numbers starting at {@code firstStream}, the value {@link #peekStream()} gave before the
   * original was built. Built in the same order, the copy's random ops get the original's streams,
   * so at the same counters they draw the same numbers.
   */
  public RandomSource copyFor(Operand<TInt64> copyStep, Operand<TInt64> copySubstep, int firstStream) {
    return new RandomSource(runSeed, copyStep, copySubstep, firstStream);
  }

  /**
   * Moves on to {@code stream} (not back): the streams below it are taken by copies built with
   * {@link #copyFor} (the towers of a replicated step, each at its replica's own offset).
   */
  public void skipTo(int stream) {
    nextStream.accumulateAndGet(stream, Math::max);
  }

  /** The stream {@link #newStream()} will give next. */
  public int peekStream() {
    return nextStream.get();
  }

  /** A source whose step and substep are scalar placeholders defaulting to 0. */
  public static RandomSource withStepPlaceholder(Ops tf, long runSeed) {
    PlaceholderWithDefault<TInt64> step =
        tf.withName("step").placeholderWithDefault(tf.constant(0L), Shape.scalar());
    PlaceholderWithDefault<TInt64> substep =
        tf.withName("substep").placeholderWithDefault(tf.constant(0L), Shape.scalar());
    return new RandomSource(runSeed, step, substep);
  }

  public long runSeed() {
    return runSeed;
  }

  /** The step tensor to feed with the global step on every training run. */
  public Operand<TInt64> step() {
    return step;
  }

  /**
   * Names a random tensor of the step being built (e.g. label noise) so the step can list it among
   * the tensors a parity run overrides; returns the tensor.
   */
  public <T extends Operand<?>> T named(String name, T tensor) {
    named.put(name, tensor);
    return tensor;
  }

  /** The tensors named since the last call, in order; the step under construction takes them. */
  public java.util.Map<String, Operand<?>> takeNamed() {
    java.util.Map<String, Operand<?>> out = new java.util.LinkedHashMap<>(named);
    named.clear();
    return out;
  }

  /** A fresh stream id for one random op of the graph under construction. */
  public int newStream() {
    return nextStream.getAndIncrement();
  }

  /** The sub-step tensor, fed with 0, 1, 2, ... when a step runs the same ops several times. */
  public Operand<TInt64> substep() {
    return substep;
  }

  /** The [2] int64 key of {@code stream} at the current step and sub-step. */
  public Operand<TInt64> key(Ops tf, int stream) {
    Operand<TInt64> counter = tf.math.add(tf.math.mul(step, tf.constant(SUBSTEPS)), substep);
    return tf.concat(
        java.util.List.of(tf.constant(new long[] {mix(runSeed, stream)}), tf.reshape(counter, tf.constant(new long[] {1}))),
        tf.constant(0));
  }

  /** The [2] int64 key of {@code stream} at a fixed counter (not tied to the training step). */
  public static Operand<TInt64> fixedKey(Ops tf, long seed, int stream, long counter) {
    return tf.constant(new long[] {mix(seed, stream), counter});
  }

  /** Standard normal noise of the given shape and type, drawn from {@code key}. */
  public static <T extends TFloating> Operand<T> normal(Ops tf, Operand<TInt64> shape, Operand<TInt64> key, Class<T> type) {
    return tf.random.statelessRandomNormal(shape, key, type);
  }

  /** Uniform noise in [0, 1) of the given shape and type, drawn from {@code key}. */
  public static <T extends TFloating> Operand<T> uniform(Ops tf, Operand<TInt64> shape, Operand<TInt64> key, Class<T> type) {
    return tf.random.statelessRandomUniform(shape, key, type);
  }

  /** SplitMix64 finaliser of (seed, stream): different streams of one seed are unrelated keys. */
  public static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + stream;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
