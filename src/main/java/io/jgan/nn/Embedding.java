package io.jgan.nn;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Embedding(input_dim, output_dim)} for one-hot labels: a table {@code embeddings}
 * [inputDim, outputDim] whose row {@code c} is class c's vector. jgan feeds labels one-hot, so the
 * input is [batch, inputDim] (or [batch, k, inputDim] for k labels per example) and the output
 * {@code onehot . embeddings}, [batch, outputDim] (or [batch, k, outputDim]): for an exact one-hot
 * row this is exactly the row Keras's lookup {@code ops.take(embeddings, index)} returns (one
 * product by 1, the others by 0), and its gradient with respect to the table is Keras's too. A
 * row that is not one-hot gives the mixture of the rows it weights (Keras has no such input).
 *
 * <pre>{@code
 * Functional.Node labels = f.input("labels", Shape.of(10));            // one-hot
 * Functional.Node embedded = f.apply(new Embedding(10, 50), labels);    // [50]
 * }</pre>
 *
 * <p>Keras's defaults: {@code embeddings_initializer="uniform"}, i.e. U(-0.05, 0.05). Keras 3
 * keeps the table as {@code self._embeddings} (for LoRA), so checkpoints track it as
 * {@code _embeddings} ({@code <model>/_operations/<i>/_embeddings}, as {@code tf.train.list_variables}
 * shows for a Keras 3.15 model); its weight name is {@code embeddings}.
 */
public final class Embedding implements Layer {
  private final int inputDim;
  private final int outputDim;
  private Initializer embeddingsInit = Initializers.randomUniform(-Initializers.EMBEDDINGS_LIMIT,
      Initializers.EMBEDDINGS_LIMIT);
  private Weight embeddings;
  private int inputRank;
  /** k of a [k, classes] input. */
  private long labelsPerExample;

  /**
   * @param inputDim the number of classes (Keras {@code input_dim}), the size of a one-hot row
   * @param outputDim the size of each class's vector (Keras {@code output_dim})
   */
  public Embedding(int inputDim, int outputDim) {
    KernelLayer.requirePositive("input dimension (number of classes)", inputDim);
    KernelLayer.requirePositive("output dimension", outputDim);
    this.inputDim = inputDim;
    this.outputDim = outputDim;
  }

  /**
   * The table's initializer (Keras {@code embeddings_initializer=}); default U(-0.05, 0.05).
   *
   * @param init the initializer of the [inputDim, outputDim] table
   * @return this layer
   */
  public Embedding embeddingsInitializer(Initializer init) {
    if (embeddings != null) {
      throw new IllegalStateException("Embedding is already built: configure it before building its network");
    }
    embeddingsInit = Objects.requireNonNull(init);
    return this;
  }

  @Override
  public String kind() {
    return "Embedding";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    int rank = in.numDimensions();
    if ((rank != 1 && rank != 2) || in.get(rank - 1) != inputDim) {
      throw new IllegalArgumentException("Embedding expected one-hot labels [" + inputDim + "] or [k, " + inputDim
          + "] (" + inputDim + " classes), got " + in);
    }
    inputRank = rank;
    labelsPerExample = rank == 2 ? in.get(0) : 1;
    embeddings = weights.create("embeddings", "_embeddings", Shape.of(inputDim, outputDim), embeddingsInit, true);
    return rank == 1 ? Shape.of(outputDim) : Shape.of(in.get(0), outputDim);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    Operand<T> table = ctx.read(tf, embeddings, x.type());
    if (inputRank == 1) {
      return tf.linalg.matMul(x, table); // [b, classes] . [classes, dim]
    }
    Operand<T> rows = tf.reshape(x, tf.constant(new long[] {-1, inputDim}));           // [b * k, classes]
    return tf.reshape(tf.linalg.matMul(rows, table), tf.constant(new long[] {-1, labelsPerExample, outputDim}));
  }

  @Override
  public List<Weight> weights() {
    return List.of(embeddings);
  }

  @Override
  public String describe() {
    return "input_dim=" + inputDim + ", output_dim=" + outputDim;
  }
}
