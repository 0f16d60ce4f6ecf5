package io.jgan.gan;

import io.jgan.PixelScale;
import io.jgan.nn.Network;
import io.jgan.optim.Adam;
import io.jgan.optim.Optimizer;
import java.util.Objects;
import java.util.function.IntFunction;
import org.tensorflow.ndarray.Shape;

/**
 * A GAN with everything a run of it needs by default: its data ({@link DataSpec}) and its
 * {@link Plan} (batch size, epochs, samples, evaluation). Each seed tutorial is one, its values the
 * tutorial's (the catalogue, {@code Presets}); a program's own GAN becomes one through
 * {@link #of(Gan, Plan)}. Built with {@link #builder}, each value named at the call site; what
 * training needs of the GAN is the {@link GanSpec} it implements.
 *
 * <pre>{@code
 * Preset dcgan = Presets.get("dcgan-mnist");
 * Preset shorter = Preset.of(dcgan.gan(), dcgan.plan().toBuilder().epochs(5).build());
 * Training.of(shorter).runDir(Path.of("runs/dcgan-5")).train();
 * }</pre>
 */
public final class Preset implements GanSpec {
  private final String name;
  private final String tutorial;
  private final DataSpec data;
  private final Gan gan;
  private final Plan plan;

  private Preset(String tutorial, DataSpec data, Gan gan, Plan plan) {
    this.name = gan.name();
    this.tutorial = tutorial;
    this.data = Objects.requireNonNull(data, () -> name + ": expected a data spec, got none");
    this.gan = gan;
    this.plan = Objects.requireNonNull(plan, () -> name + ": expected a plan, got none");
    if (plan.stepsPerRun() > 1 && !gan.trainStep().unrollable()) {
      throw new IllegalArgumentException(name + ": its train step cannot run several steps per session run");
    }
    float[][] given = plan.samples().givenLatents();
    if (given != null && given[0].length != gan.latentDim()) {
      throw new IllegalArgumentException(name + ": expected sample latents (SampleSpec latents) of " + gan.latentDim()
          + " values, the GAN's latent size, got " + given[0].length);
    }
  }

  /** A program's own GAN with its plan; its data is given to the run. */
  public static Preset of(Gan gan, Plan plan) {
    return new Preset(null, DataSpec.given(gan.conditioning() != Gan.Conditioning.NONE), gan, plan);
  }

  /** A catalogue preset called {@code name} (its name on the command line). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** This preset with {@code changed} as its GAN (a variant, or a mutation of one default). */
  public Preset withGan(Gan changed) {
    return new Preset(tutorial, data, changed, plan);
  }

  @Override public String name() { return name; }
  /** Which seed tutorial it reproduces, for humans; null for a program's own GAN. */
  public String tutorial() { return tutorial; }
  /** Where real images come from by default, and whether they are labelled. */
  public DataSpec data() { return data; }
  /** The GAN it trains. */
  public Gan gan() { return gan; }
  /** How long and how it trains by default, and what a run writes. */
  public Plan plan() { return plan; }
  @Override public Shape imageShape() { return gan.imageShape(); }
  @Override public PixelScale pixelScale() { return gan.pixelScale(); }
  @Override public int latentDim() { return gan.latentDim(); }
  @Override public LatentPrior latentPrior() { return gan.latentPrior(); }
  @Override public Gan.Conditioning conditioning() { return gan.conditioning(); }
  @Override public Network generator(int classes) { return gan.generator(classes); }
  @Override public Network discriminator(int classes) { return gan.discriminator(classes); }
  @Override public Optimizer.Factory generatorOptimizer() { return gan.generatorOptimizer(); }
  @Override public Optimizer.Factory discriminatorOptimizer() { return gan.discriminatorOptimizer(); }
  @Override public GanStep trainStep() { return gan.trainStep(); }
  /** Examples per step. */
  public int batchSize() { return plan.batchSize(); }
  /** Full passes over the data. */
  public int epochs() { return plan.epochs(); }
  /** Stop after this many steps whatever the epoch (seed 004's 10,000 iterations); 0 for none. */
  public long maxSteps() { return plan.maxSteps(); }
  /** A checkpoint every this many epochs (and always at the end). */
  public int checkpointEvery() { return plan.checkpointEvery(); }
  /** The sample grids and GIF. */
  public SampleSpec samples() { return plan.samples(); }
  /** The tutorial's periodic log line, or null. */
  public StepLog stepLog() { return plan.stepLog(); }
  /** Training steps per TensorFlow session run by default ({@code train --steps-per-run}). */
  public int stepsPerRun() { return plan.stepsPerRun(); }
  /** Sample quality every this many epochs where a judge fits (0: never). */
  public int evalEvery() { return plan.evalEvery(); }

  /** Named values for a catalogue preset; the defaults are Keras's where a seed leaves a value out. */
  public static final class Builder {
    private final String name;
    private String tutorial;
    private DataSpec data;
    private final Gan.Builder gan;
    private final Plan.Builder plan = Plan.builder();

    private Builder(String name) {
      this.name = name;
      this.gan = Gan.builder(name);
    }

    /** Which seed tutorial it reproduces, for humans. */
    public Builder tutorial(String text) { tutorial = text; return this; }
    public Builder data(DataSpec spec) { data = spec; return this; }
    /** [height, width, channels] of the data and the samples (the MLP GANs see it flattened). */
    public Builder imageShape(Shape shape) { gan.imageShape(shape); return this; }
    /** Default {@link PixelScale#TANH}. */
    public Builder pixelScale(PixelScale scale) { gan.pixelScale(scale); return this; }
    public Builder latentDim(int size) { gan.latent(size); return this; }
    /** Default {@link LatentPrior#NORMAL}. */
    public Builder latentPrior(LatentPrior prior) { gan.latentPrior(prior); return this; }

    /** Networks that take no class label: a conditional run of this preset is refused. */
    public Builder networks(java.util.function.Supplier<? extends Network> g, java.util.function.Supplier<? extends Network> d) {
      gan.networks(g, d);
      return this;
    }

    /** Class-conditional networks, given the number of classes; the labels are concatenated to their inputs. */
    public Builder conditionalNetworks(IntFunction<? extends Network> g, IntFunction<? extends Network> d) {
      gan.conditionalNetworks(Gan.Conditioning.CONCATENATE, g, d);
      return this;
    }

    /** The same Adam for both networks, as every seed uses. */
    public Builder adam(Adam.Settings settings) {
      gan.optimizer(settings);
      return this;
    }

    public Builder trainStep(GanStep step) { gan.step(step); return this; }
    public Builder batchSize(int size) { plan.batchSize(size); return this; }
    public Builder epochs(int count) { plan.epochs(count); return this; }
    /** Stop after this many steps whatever the epoch; default 0, none. */
    public Builder maxSteps(long steps) { plan.maxSteps(steps); return this; }
    /** Default 1: every epoch. */
    public Builder checkpointEvery(int epochsBetween) { plan.checkpointEvery(epochsBetween); return this; }
    public Builder samples(SampleSpec spec) { plan.samples(spec); return this; }
    /** Default none. */
    public Builder stepLog(StepLog log) { plan.stepLog(log); return this; }
    /** Default 1: one step per session run. */
    public Builder stepsPerRun(int steps) { plan.stepsPerRun(steps); return this; }
    /** Default {@value Plan#EVAL_EVERY_DEFAULT}: sample quality every epoch where a judge fits. */
    public Builder evalEvery(int epochsBetween) { plan.evalEvery(epochsBetween); return this; }

    public Preset build() {
      Gan built = gan.build();
      if (built.imageShape().numDimensions() != 3) {
        throw new IllegalArgumentException(name + ": expected an image shape [height, width, channels], got "
            + built.imageShape());
      }
      return new Preset(Objects.requireNonNull(tutorial, () -> "preset " + name + ": expected a tutorial, got none"),
          data, built, plan.build());
    }
  }
}
