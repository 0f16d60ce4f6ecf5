import io.jgan.PixelScale;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.gan.CrossEntropy;
import io.jgan.gan.Gan;
import io.jgan.gan.GanLoss;
import io.jgan.gan.LossInputs;
import io.jgan.gan.Plan;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.*;                                    // Sequential and the layers
import io.jgan.optim.Adam;
import io.jgan.training.Training;
import io.jgan.viz.FrameSchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * keras-io's "Conditional GAN" (Sayak Paul, https://keras.io/examples/generative/conditional_gan/) on all 70,000
 * MNIST digits, pixels in [0, 1]: its networks, latent 128, batch 64, Adam(3e-4) for both, binary cross-entropy
 * from logits with its labels (D learns fake = 1, real = 0; G trains towards "real", 0), one latent vector per
 * real image and fresh ones for G's step, 20 epochs. Where it differs, on purpose: the tutorial tiles the labels
 * over D's input with {@code ops.repeat(labels[:, :, None, None], 784)} and a reshape, which lays label k over
 * rows 2.8k to 2.8k + 2.8 of all ten channels rather than over channel k as its comment says; here each label
 * fills its own channel (Conditioning.CONCATENATE), as the comment intends. Each epoch is a full shuffle rather
 * than {@code shuffle(buffer_size=1024)}. D is called on the real and the fake half apart, its loss the mean of
 * the two halves' means: the tutorial's mean over concat([fake, real]), as D has no batch-dependent layer.
 */
public class ConditionalGan {
  static final int LATENT_DIM = 128, BATCH_SIZE = 64, EPOCHS = 20;
  static final double LEARNING_RATE = 0.0003;
  static final float SLOPE = 0.2f;                      // LeakyReLU(negative_slope=0.2)

  public static void main(String[] args) {
    Path data = Path.of("data");
    DataFetcher.ensurePresent(Dataset.MNIST, data);     // scripts/fetch-data.sh on a fresh clone
    Training.of(gan(), plan())
        .data(Dataset.MNIST.loadAll(data))              // train + test: 70,000 digits, one-hot labels, pixels / 255
        .runDir(Path.of("runs/conditional-gan")).exportTo(Path.of("runs/conditional-gan-model"))
        .commandLine(args)                              // e.g. --steps 20
        .train();
  }

  /** The GAN, public for the parity harness (docs/parity.md), which trains it against the tutorial's Keras code. */
  public static Gan gan() {
    return Gan.builder("conditional-gan")
        .imageShape(Shape.of(28, 28, 1)).pixelScale(PixelScale.UNIT).latent(LATENT_DIM)
        .conditionalNetworks(Gan.Conditioning.CONCATENATE, ConditionalGan::generator, ConditionalGan::discriminator)
        .optimizer(Adam.Settings.keras(LEARNING_RATE))
        .step(Steps.alternating(FAKE_IS_ONE))            // D on real and fake, then G on fresh latents
        .build();
  }

  public static Plan plan() {
    return Plan.builder().batchSize(BATCH_SIZE).epochs(EPOCHS).evalEvery(0)
        .samples(SampleSpec.grid(1, 10).everyEpoch().beforeTraining().fixedLatents()   // a row per digit, same latents
            .file("samples/epoch_%03d_digit_%d.png").gif("training.gif", FrameSchedule.ALL).build())
        .build();
  }

  /** concat(z, one-hot y) [b, 128 + classes] to images [b, 28, 28, 1] in (0, 1). */
  static Sequential generator(int classes) {
    int channels = LATENT_DIM + classes;
    return new Sequential("generator", Shape.of(channels))
        .add(new Dense(7 * 7 * channels)).add(new LeakyRelu(SLOPE))
        .add(new Reshape(7, 7, channels))                                                        // [b, 7, 7, 138]
        .add(new Conv2dTranspose(128, 4).strides(2).padding(Padding.SAME)).add(new LeakyRelu(SLOPE)) // [b, 14, 14, 128]
        .add(new Conv2dTranspose(128, 4).strides(2).padding(Padding.SAME)).add(new LeakyRelu(SLOPE)) // [b, 28, 28, 128]
        .add(new Conv2d(1, 7).padding(Padding.SAME).activation(Activation.SIGMOID));            // [b, 28, 28, 1]
  }

  /** An image with its label's channels [b, 28, 28, 1 + classes] to a logit [b, 1]. */
  static Sequential discriminator(int classes) {
    return new Sequential("discriminator", Shape.of(28, 28, 1 + classes))
        .add(new Conv2d(64, 3).strides(2).padding(Padding.SAME)).add(new LeakyRelu(SLOPE))      // [b, 14, 14, 64]
        .add(new Conv2d(128, 3).strides(2).padding(Padding.SAME)).add(new LeakyRelu(SLOPE))     // [b, 7, 7, 128]
        .add(new GlobalMaxPooling2D())                                                          // [b, 128]
        .add(new Dense(1));
  }

  /** keras-io's labels, the reverse of the usual ones: D learns fake = 1, real = 0; G wants its images called 0. */
  static final GanLoss FAKE_IS_ONE = new GanLoss() {
    @Override public List<String> metricNames() { return List.of("d_loss", GENERATOR_LOSS); }

    @Override public <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in) {
      Ops tf = in.tf();
      Operand<T> fake = CrossEntropy.bceFromLogits(tf, 1, in.fakeScores());
      Operand<T> real = CrossEntropy.bceFromLogits(tf, 0, in.realScores());
      return Map.of("d_loss", tf.math.mean(tf.stack(List.of(fake, real)), tf.constant(0)));  // over [fake; real]
    }

    @Override public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
      return CrossEntropy.bceFromLogits(tf, 0, fakeScores);                                   // "misleading labels"
    }
  };
}
