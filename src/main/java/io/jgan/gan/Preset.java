package io.jgan.presets;

import io.jgan.PixelScale;
import io.jgan.nn.Network;
import io.jgan.optim.Adam;
import io.jgan.optim.Optimizer;
import io.jgan.train.GanSpec;
import io.jgan.gan.LatentPrior;
import io.jgan.train.SampleSpec;
import io.jgan.train.StepLog;
import io.jgan.gan.GanStep;
import java.util.Objects;
import java.util.function.IntFunction;
import org.tensorflow.ndarray.Shape;

/**
 * One seed tutorial as named values: its data, networks, optimizers, train step and outputs. The
 * defaults of {@code train --preset NAME} are exactly these. Built with {@link #builder}, each value
 * named at the call site; what training needs of it is the {@link GanSpec} it implements.
 */
public final class Preset implements GanSpec {
  private final String name;
  private final String tutorial;
  private final DataSpec data;
  private final Shape imageShape;
  private final PixelScale pixelScale;
  private final int latentDim;
  private final LatentPrior latentPrior;
  private final IntFunction<? extends Network> generator;
  private final IntFunction<? extends Network> discriminator;
  private final Optimizer.Factory generatorOptimizer;
  private final Optimizer.Factory discriminatorOptimizer;
  private final GanStep trainStep;
  private final int batchSize;
  private final int epochs;
  private final long maxSteps;
  private final int checkpointEvery;
  private final SampleSpec samples;
  private final StepLog stepLog;
  private final int stepsPerRun;

  private Preset(Builder b) {
    name = require(b.name, "name");
    tutorial = require(b.tutorial, "tutorial");
    data = require(b.data, "data");
    imageShape = require(b.imageShape, "image shape");
    pixelScale = b.pixelScale;
    latentDim = b.latentDim;
    latentPrior = b.latentPrior;
    generator = require(b.generator, "generator");
    discriminator = require(b.discriminator, "discriminator");
    generatorOptimizer = require(b.generatorOptimizer, "generator optimizer");
    discriminatorOptimizer = require(b.discriminatorOptimizer, "discriminator optimizer");
    trainStep = require(b.trainStep, "train step");
    batchSize = b.batchSize;
    epochs = b.epochs;
    maxSteps = b.maxSteps;
    checkpointEvery = b.checkpointEvery;
    samples = require(b.samples, "samples");
    stepLog = b.stepLog;
    stepsPerRun = b.stepsPerRun;
    positive("latent size", latentDim);
    positive("batch size", batchSize);
    positive("epochs", epochs);
    positive("checkpoint interval", checkpointEvery);
    positive("steps per session run", stepsPerRun);
    if (stepsPerRun > 1 && !trainStep.unrollable()) {
      throw new IllegalArgumentException(name + ": its train step cannot run several steps per session run");
    }
    if (maxSteps < 0) {
      throw new IllegalArgumentException(name + ": expected a step limit >= 0, got " + maxSteps);
    }
    if (imageShape.numDimensions() != 3) {
      throw new IllegalArgumentException(name + ": expected an image shape [height, width, channels], got " + imageShape);
    }
  }

  private <V> V require(V value, String what) {
    return Objects.requireNonNull(value, () -> "preset " + name + ": expected a " + what + ", got none");
  }

  private void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": expected a positive " + what + ", got " + value);
    }
  }

  /** A preset called {@code name} (its name on the command line). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override public String name() { return name; }
  /** Which seed tutorial it reproduces, for humans. */
  public String tutorial() { return tutorial; }
  /** Where real images come from by default, and whether they are labelled. */
  public DataSpec data() { return data; }
  @Override public Shape imageShape() { return imageShape; }
  @Override public PixelScale pixelScale() { return pixelScale; }
  @Override public int latentDim() { return latentDim; }
  @Override public LatentPrior latentPrior() { return latentPrior; }
  @Override public Network generator(int classes) { return generator.apply(classes); }
  @Override public Network discriminator(int classes) { return discriminator.apply(classes); }
  @Override public Optimizer.Factory generatorOptimizer() { return generatorOptimizer; }
  @Override public Optimizer.Factory discriminatorOptimizer() { return discriminatorOptimizer; }
  @Override public GanStep trainStep() { return trainStep; }
  /** Examples per step. */
  public int batchSize() { return batchSize; }
  /** Full passes over the data. */
  public int epochs() { return epochs; }
  /** Stop after this many steps whatever the epoch (seed 004's 10,000 iterations); 0 for none. */
  public long maxSteps() { return maxSteps; }
  /** A checkpoint every this many epochs (and always at the end). */
  public int checkpointEvery() { return checkpointEvery; }
  /** The sample grids and GIF. */
  public SampleSpec samples() { return samples; }
  /** The tutorial's periodic log line, or null. */
  public StepLog stepLog() { return stepLog; }
  /** Training steps per TensorFlow session run by default ({@code train --steps-per-run}). */
  public int stepsPerRun() { return stepsPerRun; }

  /** Named values for a preset; the defaults are Keras's where a seed leaves a value out. */
  public static final class Builder {
    private final String name;
    private String tutorial;
    private DataSpec data;
    private Shape imageShape;
    private PixelScale pixelScale = PixelScale.TANH;
    private int latentDim;
    private LatentPrior latentPrior = LatentPrior.NORMAL;
    private IntFunction<? extends Network> generator;
    private IntFunction<? extends Network> discriminator;
    private Optimizer.Factory generatorOptimizer;
    private Optimizer.Factory discriminatorOptimizer;
    private GanStep trainStep;
    private int batchSize;
    private int epochs;
    private long maxSteps;
    private int checkpointEvery = 1;
    private SampleSpec samples;
    private StepLog stepLog;
    private int stepsPerRun = 1;

    private Builder(String name) {
      this.name = name;
    }

    /** Which seed tutorial it reproduces, for humans. */
    public Builder tutorial(String text) { tutorial = text; return this; }
    public Builder data(DataSpec spec) { data = spec; return this; }
    /** [height, width, channels] of the data and the samples (the MLP GANs see it flattened). */
    public Builder imageShape(Shape shape) { imageShape = shape; return this; }
    /** Default {@link PixelScale#TANH}. */
    public Builder pixelScale(PixelScale scale) { pixelScale = scale; return this; }
    public Builder latentDim(int size) { latentDim = size; return this; }
    /** Default {@link LatentPrior#NORMAL}. */
    public Builder latentPrior(LatentPrior prior) { latentPrior = prior; return this; }

    /** Networks that take no class label: a conditional run of this preset is refused. */
    public Builder networks(java.util.function.Supplier<? extends Network> g, java.util.function.Supplier<? extends Network> d) {
      generator = classes -> unconditional(g.get(), classes);
      discriminator = classes -> unconditional(d.get(), classes);
      return this;
    }

    /** Class-conditional networks, given the number of classes. */
    public Builder conditionalNetworks(IntFunction<? extends Network> g, IntFunction<? extends Network> d) {
      generator = g;
      discriminator = d;
      return this;
    }

    /** The same Adam for both networks, as every seed uses. */
    public Builder adam(Adam.Settings settings) {
      generatorOptimizer = settings;
      discriminatorOptimizer = settings;
      return this;
    }

    public Builder trainStep(GanStep step) { trainStep = step; return this; }
    public Builder batchSize(int size) { batchSize = size; return this; }
    public Builder epochs(int count) { epochs = count; return this; }
    /** Stop after this many steps whatever the epoch; default 0, none. */
    public Builder maxSteps(long steps) { maxSteps = steps; return this; }
    /** Default 1: every epoch. */
    public Builder checkpointEvery(int epochsBetween) { checkpointEvery = epochsBetween; return this; }
    public Builder samples(SampleSpec spec) { samples = spec; return this; }
    /** Default none. */
    public Builder stepLog(StepLog log) { stepLog = log; return this; }
    /** Default 1: one step per session run. */
    public Builder stepsPerRun(int steps) { stepsPerRun = steps; return this; }

    public Preset build() {
      return new Preset(this);
    }

    private Network unconditional(Network network, int classes) {
      if (classes != 0) {
        throw new IllegalArgumentException(network.name() + " of preset " + name
            + " is not class-conditional: expected 0 classes, got " + classes);
      }
      return network;
    }
  }
}
