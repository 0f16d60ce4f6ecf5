package io.jgan.eval;

import io.jgan.PixelScale;
import io.jgan.data.Batch;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.gan.CrossEntropy;
import io.jgan.gan.Updates;
import io.jgan.nn.CallContext;
import io.jgan.nn.RandomSource;
import io.jgan.nn.Sequential;
import io.jgan.nn.Weight;
import io.jgan.optim.Adam;
import io.jgan.store.SavedModels.ExportedVariable;
import io.jgan.store.SavedModels;
import io.jgan.train.graph.Sessions;
import io.jgan.train.graph.Tensors;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains a judge ({@link JudgeNetwork}) on a dataset's 60,000 training images and exports it as a
 * SavedModel: softmax cross-entropy from logits, Adam, shuffled batches keyed on the seed, the
 * learning rate halved after each epoch; dropout keyed on (seed, step) as the GANs' is. The test
 * set is used only to report the accuracy, never to choose anything.
 */
public final class JudgeTraining {
  public static final int EPOCHS_DEFAULT = 6;
  public static final int BATCH_SIZE_DEFAULT = 128;
  /** Keras's Adam default. */
  public static final double LEARNING_RATE_DEFAULT = 1e-3;
  /** Each epoch's learning rate is the previous one's times this. */
  public static final double DECAY_PER_EPOCH = 0.5;
  public static final long SEED_DEFAULT = 42;

  private JudgeTraining() {}

  /** The choices of a training run. */
  public record Settings(int epochs, int batchSize, double learningRate, long seed, int threads) {
    public Settings {
      if (epochs <= 0 || batchSize <= 0 || !(learningRate > 0)) {
        throw new IllegalArgumentException("expected positive epochs, batch size and learning rate, got " + epochs
            + ", " + batchSize + ", " + learningRate);
      }
    }

    public static Settings defaults() {
      return new Settings(EPOCHS_DEFAULT, BATCH_SIZE_DEFAULT, LEARNING_RATE_DEFAULT, SEED_DEFAULT, 0);
    }
  }

  /** The training graph: both networks, the loss, Adam, and the inference outputs. */
  private static final class Network implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Sequential features = JudgeNetwork.features();
    final Sequential classifier;
    final RandomSource random;
    final Placeholder<TFloat32> images;
    final Placeholder<TFloat32> labels;
    final Placeholder<TFloat32> learningRate;
    final Operand<TFloat32> loss;
    final Op step;
    final Op setLearningRate;
    final Op init;
    final Operand<TFloat32> inferenceLogits;

    Network(int classes, long seed) {
      classifier = JudgeNetwork.classifier(classes);
      features.build(tf, seed);
      classifier.build(tf, seed);
      random = RandomSource.withStepPlaceholder(tf, seed);
      images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
      CallContext training = CallContext.training(random);
      Operand<TFloat32> logits = classifier.call(tf, features.call(tf, images, training), training);
      loss = CrossEntropy.softmaxCrossEntropyFromLogits(tf, labels, logits);
      List<Weight> weights = new ArrayList<>(features.trainableWeights());
      weights.addAll(classifier.trainableWeights());
      Adam<TFloat32> adam = new Adam<>(tf, "judge_optimizer", Adam.Settings.keras(LEARNING_RATE_DEFAULT), weights,
          TFloat32.class);
      step = Updates.minimize(tf, loss, adam, List.of(loss), training);
      learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      setLearningRate = adam.learningRate().assign(tf, learningRate);
      List<Op> inits = new ArrayList<>(features.initOps());
      inits.addAll(classifier.initOps());
      inits.addAll(adam.initOps());
      init = tf.withControlDependencies(inits).noOp();
      CallContext inference = CallContext.inference();
      inferenceLogits = classifier.call(tf, features.call(tf, images, inference), inference);
    }

    @Override
    public void close() {
      graph.close();
    }
  }

  /**
   * Trains on {@code train}, reports each epoch's test accuracy to {@code log}, and writes the judge
   * to {@code out} (all or nothing) with its {@value JudgeInfo#FILE}. Returns that description.
   */
  public static JudgeInfo train(Dataset dataset, ImageSet train, ImageSet test, Settings s, Path out, boolean overwrite,
      PrintStream log) {
    int classes = dataset.numClasses();
    Batches batches = new Batches(train, PixelScale.TANH, s.batchSize(), s.seed(), classes);
    try (Network net = new Network(classes, s.seed());
         Session session = Sessions.open(net.graph, s.threads(), false)) {
      session.run(net.init);
      long globalStep = 0;
      double accuracy = 0;
      for (int epoch = 0; epoch < s.epochs(); epoch++) {
        long started = System.nanoTime();
        double rate = s.learningRate() * Math.pow(DECAY_PER_EPOCH, epoch);
        try (TFloat32 lr = TFloat32.scalarOf((float) rate)) {
          session.runner().feed(net.learningRate, lr).addTarget(net.setLearningRate).run();
        }
        double lossSum = 0;
        for (int b = 0; b < batches.stepsPerEpoch(); b++) {
          try (Batch batch = batches.batch(epoch, b);
               TInt64 stepValue = TInt64.scalarOf(globalStep);
               Result r = session.runner().feed(net.images, batch.images()).feed(net.labels, batch.labels())
                   .feed(net.random.step(), stepValue).addTarget(net.step).fetch(net.loss).run()) {
            lossSum += Tensors.scalar(r.get(0));
          }
          globalStep++;
        }
        accuracy = accuracy(session, net, test);
        log.printf(Locale.ROOT, "judge %s epoch %d/%d: learning rate %.2e, mean loss %.4f, test accuracy %.4f (%.0f s)%n",
            dataset, epoch + 1, s.epochs(), rate, lossSum / batches.stepsPerEpoch(), accuracy,
            (System.nanoTime() - started) / 1e9);
      }
      JudgeInfo info = new JudgeInfo(dataset.dirName(), classes, dataset.classNames(), JudgeNetwork.INPUT.asArray(),
          JudgeInfo.SCALING, JudgeNetwork.FEATURES, describe(net),
          String.format(Locale.ROOT, "%d epochs of the %d training images, batch %d, softmax cross-entropy, "
              + "Adam(%.0e) halved after each epoch, dropout %.1f before the logits, seed %d", s.epochs(), train.count(),
              s.batchSize(), s.learningRate(), JudgeNetwork.DROPOUT, s.seed()),
          accuracy, "train-judge --dataset " + dataset + " --out " + out);
      export(net, session, out, overwrite, info);
      return info;
    }
  }

  private static String describe(Network net) {
    return net.features.summary() + net.classifier.summary();
  }

  /** Share of {@code test} the inference pass classifies right. */
  private static double accuracy(Session session, Network net, ImageSet test) {
    int right = 0;
    for (int from = 0; from < test.count(); from += Judge.BATCH) {
      int to = Math.min(test.count(), from + Judge.BATCH);
      float[] inputs = JudgeImages.toInput(test, from, to, 28, 28, 1);
      try (TFloat32 images = TFloat32.tensorOf(Shape.of(to - from, 28, 28, 1), DataBuffers.of(inputs, true, false));
           Result r = session.runner().feed(net.images, images).fetch(net.inferenceLogits).run()) {
        TFloat32 logits = (TFloat32) r.get(0);
        for (int i = 0; i < to - from; i++) {
          int best = 0;
          for (int k = 1; k < logits.shape().size(1); k++) {
            if (logits.getFloat(i, k) > logits.getFloat(i, best)) {
              best = k;
            }
          }
          right += best == test.label(from + i) ? 1 : 0;
        }
      }
    }
    return right / (double) test.count();
  }

  /** An inference-only graph with the trained weights and the judge's signatures, written to {@code out}. */
  private static void export(Network trained, Session session, Path out, boolean overwrite, JudgeInfo info) {
    List<Weight> sources = new ArrayList<>(trained.features.weights());
    sources.addAll(trained.classifier.weights());
    List<TFloat32> values = new ArrayList<>();
    try {
      for (Weight w : sources) {
        try (Result r = session.runner().fetch(w.variable().read(trained.tf)).run()) {
          values.add(Tensors.copy(r.get(0)));
        }
      }
      SavedModels.writeAtomically(out, overwrite, dir -> {
        writeModel(info.classes(), values, dir);
        Files.writeString(dir.resolve(JudgeInfo.FILE), info.toJson(), StandardCharsets.UTF_8);
      });
    } finally {
      values.forEach(Tensor::close);
    }
  }

  private static void writeModel(int classes, List<TFloat32> values, Path dir) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Sequential features = JudgeNetwork.features().build(tf, 0);
      Sequential classifier = JudgeNetwork.classifier(classes).build(tf, 0);
      Placeholder<TFloat32> images = tf.withName(Judge.IMAGES).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      CallContext inference = CallContext.inference();
      Operand<TFloat32> featureOut = tf.withName(Judge.FEATURES).identity(features.call(tf, images, inference));
      Operand<TFloat32> logits = tf.withName(Judge.LOGITS).identity(classifier.call(tf, featureOut, inference));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      List<Weight> targets = new ArrayList<>(features.weights());
      targets.addAll(classifier.weights());
      List<ExportedVariable> variables = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        variables.add(new ExportedVariable(targets.get(i).saved(), values.get(i), targets.get(i).trainable()));
      }
      try (Session s = new Session(g)) {
        Signature judge = Signature.builder().key(Judge.SIGNATURE).input(Judge.IMAGES, images)
            .output(Judge.FEATURES, featureOut).output(Judge.LOGITS, logits).build();
        Signature serving = Signature.builder().key(Signature.DEFAULT_KEY).input(Judge.IMAGES, images)
            .output(Judge.LOGITS, logits).output("probabilities", probabilities).build();
        SavedModels.export(s, tf, variables, List.of(judge, serving), dir);
      }
    }
  }
}
