package io.jgan.nn;

import java.util.List;

/**
 * Where a Keras 3 model keeps its layers in a checkpoint's object graph, so that a network's
 * weights get the same checkpoint paths as the Python original:
 *
 * <ul>
 *   <li>{@link #SEQUENTIAL}: {@code keras.Sequential} built with an input shape wraps a Functional:
 *       {@code <model>/_functional/_operations/<i>}, the InputLayer at 0 (seeds 000, 001).
 *   <li>{@link #FUNCTIONAL}: {@code keras.Model(input, output)}: {@code <model>/_operations/<i>},
 *       the InputLayer at 0 (seed 003's DCGAN and WGAN-GP).
 *   <li>{@link #FUNCTIONAL_CONDITIONED}: a Functional with two inputs (data and label) joined by a
 *       Concatenate: InputLayers at 0 and 1, the Concatenate at 2, our first layer at 3 (seed 003's
 *       conditional WGAN-GP).
 * </ul>
 *
 * <pre>{@code
 * Sequential d = new Sequential("discriminator", Shape.of(64, 64, 3))
 *     .kerasLayout(KerasLayout.FUNCTIONAL);   // a Keras functional Model, not a Sequential
 * }</pre>
 *
 * @param prefix the attribute path from the model to its list of operations
 * @param firstLayer the index of the model's first own layer in that list
 */
public record KerasLayout(List<String> prefix, int firstLayer) {
  public static final KerasLayout SEQUENTIAL = new KerasLayout(List.of("_functional", "_operations"), 1);
  public static final KerasLayout FUNCTIONAL = new KerasLayout(List.of("_operations"), 1);
  public static final KerasLayout FUNCTIONAL_CONDITIONED = new KerasLayout(List.of("_operations"), 3);

  public KerasLayout {
    prefix = List.copyOf(prefix);
  }
}
