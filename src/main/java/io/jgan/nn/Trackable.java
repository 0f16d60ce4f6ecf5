package io.jgan.nn;

/**
 * An object of a TensorFlow 2 object-based checkpoint, as Keras 3 tracks it: named children in
 * Keras's order, each another object or a variable. A checkpoint is the tree of such objects under
 * named roots ({@code tf.train.Checkpoint(generator=..., generator_optimizer=...)}); a variable's
 * key is its first path in breadth-first order. Networks ({@link Sequential}) and optimizers
 * describe their own layout here, so the checkpoint writer knows only this interface.
 *
 * <pre>{@code
 * Trackable root = children -> {
 *   children.object("generator", generator);       // a Network is a Trackable
 *   children.object("discriminator", discriminator);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Trackable {
  /** Reports this object's children, in the order Keras 3 lists them. */
  void trackChildren(Children children);

  /** Receives an object's children. */
  interface Children {
    /** A child object called {@code name}. */
    void object(String name, Trackable child);

    /** A variable this object owns, saved under {@code name}. */
    void variable(String name, SavedVariable variable);

    /**
     * A variable another object owns, listed here too under {@code name} (Keras lists a model's
     * weights again in its optimizer's {@code _trainable_variables}): one saved value, two paths.
     */
    void link(String name, SavedVariable variable);
  }
}
