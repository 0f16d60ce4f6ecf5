package io.jgan.gan;

import org.tensorflow.types.family.TFloating;

/**
 * One training step of a GAN (Keras's {@code train_step}, TF-GAN's {@code gan_train_ops}), built
 * into the graph once and run once per batch. The update schemes of the seed tutorials are in
 * {@link Steps} (both networks from one pass, D then G, n critic iterations then G); write one of
 * your own against {@link StepBuilder} and {@link Updates}, the machinery the built-in ones use:
 *
 * <pre>{@code
 * GanStep criticOnly = new GanStep() {   // trains D alone, e.g. to warm it up
 *   public <T extends TFloating> BuiltStep build(StepBuilder<T> s) {
 *     Ops tf = s.tf().withSubScope("train_step");
 *     Placeholder<T> real = s.realImagesPlaceholder(tf);
 *     CallContext pass = s.trainingPass();
 *     Operand<T> fake = s.generate(tf, s.latents(tf, StepBuilder.batchOf(tf, real)), null, s.inferencePass());
 *     Operand<T> loss = tf.math.sub(CrossEntropy.meanOfAll(tf, s.discriminate(tf, fake, null, pass)),
 *         CrossEntropy.meanOfAll(tf, s.discriminate(tf, real, null, pass)));
 *     Op update = Updates.minimize(tf, loss, s.discriminatorOptimizer(), List.of(loss), pass);
 *     return new BuiltStep(List.of("d_loss"), List.of(new Phase("critic", 0, true, Map.of("d_loss", loss), update,
 *         Map.of())), real, null);
 *   }
 * };
 * }</pre>
 */
public interface GanStep {
  /** Builds the step into the graph {@code s} describes. */
  <T extends TFloating> BuiltStep build(StepBuilder<T> s);

  /**
   * Whether the step can be built several times into one session run (Keras's
   * {@code steps_per_execution}): each phase built once, ordered by {@link StepBuilder#phaseBuilt}.
   * A step that runs one phase several times per step (n critic iterations) cannot.
   */
  default boolean unrollable() {
    return true;
  }
}
