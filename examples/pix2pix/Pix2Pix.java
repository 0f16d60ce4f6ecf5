import io.jgan.data.ArraySource;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.gan.BuiltStep;
import io.jgan.gan.CrossEntropy;
import io.jgan.gan.Gan;
import io.jgan.gan.GanStep;
import io.jgan.gan.Phase;
import io.jgan.gan.Plan;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.StepBuilder;
import io.jgan.gan.Updates;
import io.jgan.nn.*;                                    // Functional, Sequential and the layers
import io.jgan.optim.Adam;
import io.jgan.training.Training;
import io.jgan.viz.FrameSchedule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * pix2pix (Isola et al. 2017, as the TensorFlow tutorial https://www.tensorflow.org/tutorials/generative/pix2pix
 * trains it) on pairs this program makes: MNIST digits and their edge maps (a Sobel filter, thresholded). A U-Net
 * generator with skip connections translates an edge map into a digit; a PatchGAN discriminator judges
 * (edge map, digit) pairs patch by patch. D minimises BCE(1, D(x, y)) + BCE(0, D(x, G(x))) averaged over its 7x7
 * patch logits; G minimises BCE(1, D(x, G(x))) + 100 * mean |y - G(x)|; both from one pass (the tutorial's two
 * GradientTapes), Adam(2e-4, 0.5). Scaled to MNIST: two 4x4 stride-2 levels instead of eight, batches of 64
 * instead of 1, 3 epochs of the 60,000 training digits. Grids and the export run G in inference mode (no dropout,
 * BatchNorm's moving statistics), where the tutorial keeps training=True when it generates.
 *
 * <p>How it fits a GAN of jgan, whose generator takes a latent vector: the "latent" is the edge map flattened
 * ({@code latent(784)}), the data are pairs [28, 28, 2] = (edge map, digit), and G's output is the pair
 * (its input, its digit), which is what D takes. The sample grids use held-out edge maps ({@code
 * SampleSpec.latents}); a two-channel image is drawn as its channels side by side (edge map | digit).
 */
public class Pix2Pix {
  static final int SIZE = 28, PIXELS = SIZE * SIZE, BATCH_SIZE = 64, EPOCHS = 3;
  static final double L1_WEIGHT = 100;                   // the tutorial's LAMBDA
  static final float SLOPE = 0.2f;

  public static void main(String[] args) {
    Path data = Path.of("data");
    DataFetcher.ensurePresent(Dataset.MNIST, data);      // scripts/fetch-data.sh on a fresh clone
    float[] pairs = pairs(Dataset.MNIST.load(data, true));            // 60,000 x [28, 28, 2] in [-1, 1]
    float[] heldOut = pairs(Dataset.MNIST.load(data, false));         // the test digits: the grids' edge maps
    float[][] gridEdges = new float[16][PIXELS];
    for (int i = 0; i < gridEdges.length; i++) {
      for (int p = 0; p < PIXELS; p++) {
        gridEdges[i][p] = heldOut[(i * PIXELS + p) * 2];
      }
    }
    Gan gan = Gan.builder("pix2pix-mnist")
        .imageShape(Shape.of(SIZE, SIZE, 2)).latent(PIXELS)  // edge map [784] -> (edge map, digit) [28, 28, 2]
        .networks(Pix2Pix::generator, Pix2Pix::discriminator)
        .optimizer(new Adam.Settings(2e-4, 0.5, 0.999, Adam.EPSILON_DEFAULT))
        .step(STEP)
        .build();
    Plan plan = Plan.builder().batchSize(BATCH_SIZE).epochs(EPOCHS)
        .samples(SampleSpec.grid(4, 4).everyEpoch().beforeTraining().latents(gridEdges)  // G on 16 test edge maps
            .file("samples_%03d.png").gif("training.gif", FrameSchedule.ALL).build())
        .build();
    Training.of(gan, plan)
        .data(ArraySource.flat(pairs, Shape.of(SIZE, SIZE, 2)))
        .runDir(Path.of("runs/pix2pix")).exportTo(Path.of("runs/pix2pix-model"))
        .commandLine(args)                               // e.g. --steps 20
        .train();
  }

  /** Each digit as the pair (edge map, digit), HWC, in [-1, 1]; an edge where the Sobel gradient of [0, 1] pixels is over 1. */
  static float[] pairs(ImageSet digits) {
    byte[] pixels = digits.pixels();
    float[] out = new float[digits.count() * PIXELS * 2];
    for (int n = 0; n < digits.count(); n++) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          double gx = 0, gy = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int yy = y + dy, xx = x + dx;
              boolean inside = yy >= 0 && yy < SIZE && xx >= 0 && xx < SIZE;     // zeros outside
              double v = inside ? (pixels[n * PIXELS + yy * SIZE + xx] & 0xff) / 255.0 : 0;
              gx += dx * (dy == 0 ? 2 : 1) * v;                  // Sobel: [-1 0 1; -2 0 2; -1 0 1]
              gy += dy * (dx == 0 ? 2 : 1) * v;
            }
          }
          int i = (n * PIXELS + y * SIZE + x) * 2;
          out[i] = Math.hypot(gx, gy) > 1 ? 1f : -1f;
          out[i + 1] = (pixels[n * PIXELS + y * SIZE + x] & 0xff) / 127.5f - 1f;
        }
      }
    }
    return out;
  }

  /** U-Net: edge map [784] to the pair (edge map, digit) [28, 28, 2]; each decoder level concatenates its encoder's. */
  static Functional generator() {
    Functional.Builder f = Functional.builder("generator");
    var edges = f.apply(new Reshape(SIZE, SIZE, 1), f.input("edges", Shape.of(PIXELS)));        // [b, 28, 28, 1]
    var down1 = f.apply(new LeakyRelu(SLOPE), f.apply(conv(64), edges));                          // [b, 14, 14, 64]
    var down2 = f.apply(new LeakyRelu(SLOPE), f.apply(new BatchNormalization(), f.apply(conv(128), down1))); // [b, 7, 7, 128]
    var bottom = f.apply(new Relu(), f.apply(new Conv2d(256, 3).padding(Padding.SAME).kernelInitializer(INIT), down2));
    var up1 = f.apply(new Concatenate(), bottom, down2);                                          // [b, 7, 7, 384]
    up1 = f.apply(new Relu(), f.apply(new Dropout(0.5), f.apply(new BatchNormalization(), f.apply(deconv(64), up1))));
    var up2 = f.apply(new Concatenate(), up1, down1);                                             // [b, 14, 14, 128]
    var digit = f.apply(new Conv2dTranspose(1, 4).strides(2).padding(Padding.SAME).kernelInitializer(INIT)
        .activation(Activation.TANH), up2);                                                       // [b, 28, 28, 1]
    return f.output(f.apply(new Concatenate(), edges, digit));                                   // [b, 28, 28, 2]
  }

  /** PatchGAN: the pair (edge map, digit) [28, 28, 2] to a logit per patch [7, 7, 1], each seeing 18x18 pixels. */
  static Sequential discriminator() {
    return new Sequential("discriminator", Shape.of(SIZE, SIZE, 2))
        .add(conv(64)).add(new LeakyRelu(SLOPE))                                                  // [b, 14, 14, 64]
        .add(conv(128)).add(new BatchNormalization()).add(new LeakyRelu(SLOPE))                   // [b, 7, 7, 128]
        .add(new Conv2d(1, 3).padding(Padding.SAME).kernelInitializer(INIT));                     // [b, 7, 7, 1]
  }

  static final Initializer INIT = Initializers.normal(0.02);           // tf.random_normal_initializer(0., 0.02)

  static Conv2d conv(int filters) {
    return new Conv2d(filters, 4).strides(2).padding(Padding.SAME).kernelInitializer(INIT).noBias();
  }

  static Conv2dTranspose deconv(int filters) {
    return new Conv2dTranspose(filters, 4).strides(2).padding(Padding.SAME).kernelInitializer(INIT).noBias();
  }

  /** The tutorial's train_step: G's input is the batch's edge maps, both networks updated from one pass. */
  static final GanStep STEP = new GanStep() {
    @Override
    public <T extends TFloating> BuiltStep build(StepBuilder<T> s) {
      Ops tf = s.tf().withSubScope("train_step");
      Placeholder<T> real = s.realImagesPlaceholder(tf);                     // [b, 28, 28, 2]: (edge map, digit)
      Operand<T> edges = tf.reshape(channel(tf, real, 0), tf.constant(new long[] {-1, PIXELS}));  // [b, 784]
      CallContext pass = s.trainingPass();
      Operand<T> fake = s.generate(tf, edges, null, pass);                   // [b, 28, 28, 2]: (edge map, G(edges))
      Operand<T> realScores = s.discriminate(tf, real, null, pass);         // [b, 7, 7, 1]
      Operand<T> fakeScores = s.discriminate(tf, fake, null, pass);
      Operand<T> dLoss = tf.math.add(CrossEntropy.bceFromLogits(tf, 1, realScores),      // mean over b x 7 x 7 patches
          CrossEntropy.bceFromLogits(tf, 0, fakeScores));
      Operand<T> gGan = CrossEntropy.bceFromLogits(tf, 1, fakeScores);
      Operand<T> l1 = CrossEntropy.meanOfAll(tf, tf.math.abs(tf.math.sub(channel(tf, real, 1), channel(tf, fake, 1))));
      Operand<T> gLoss = tf.math.add(gGan, tf.math.mul(l1, FloatTypes.constant(tf, L1_WEIGHT, s.dtype())));
      Map<String, Operand<?>> metrics = new LinkedHashMap<>();
      metrics.put("d_loss", dLoss);
      metrics.put("g_loss", gLoss);
      metrics.put("g_gan", gGan);
      metrics.put("l1", l1);
      Op update = Updates.applyAfter(tf, List.of(
          new Updates.Update<>(s.generatorOptimizer(), Updates.gradients(tf, gLoss, s.generatorOptimizer(), pass)),
          new Updates.Update<>(s.discriminatorOptimizer(), Updates.gradients(tf, dLoss, s.discriminatorOptimizer(), pass))),
          List.copyOf(metrics.values()), pass);
      Map<String, Operand<?>> random = new LinkedHashMap<>();
      Updates.putMasks(random, "generator_dropout_", pass);
      return new BuiltStep(List.copyOf(metrics.keySet()), List.of(new Phase("both", 0, true, metrics, update, random)),
          real, null);
    }
  };

  /** Channel {@code c} of images [b, h, w, channels] as [b, h, w, 1]. */
  static <T extends TFloating> Operand<T> channel(Ops tf, Operand<T> images, int c) {   // int32: Slice's C++ gradient
    return tf.slice(images, tf.constant(new int[] {0, 0, 0, c}), tf.constant(new int[] {-1, -1, -1, 1}));
  }
}
