import io.jgan.gan.Gan;
import io.jgan.gan.GanLoss;
import io.jgan.gan.Losses;
import io.jgan.gan.Plan;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Dense;
import io.jgan.nn.Flatten;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Padding;
import io.jgan.nn.Relu;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
import io.jgan.nn.UpSampling2D;
import io.jgan.optim.Adam;
import io.jgan.training.Training;
import io.jgan.viz.FrameSchedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * A DCGAN of its own on a folder of images (64x64 gray): a generator of upsampling and 3x3 convolutions (no
 * checkerboard, Odena et al. 2016), a discriminator without BatchNorm, and the hinge loss (Lim and Ye 2017) or,
 * with --r1, the non-saturating loss with an R1 penalty on real images (Mescheder et al. 2018).
 */
public class FolderDcgan {
  public static void main(String[] args) {
    List<String> options = new ArrayList<>(List.of(args));
    boolean r1 = options.remove("--r1");                // this program's own option; the others are Training's
    GanLoss loss = r1 ? Losses.nonSaturating().withPenalty(Losses.r1(10)) : Losses.hinge();  // gamma 10, as the paper
    Gan gan = Gan.builder(r1 ? "folder-dcgan-r1" : "folder-dcgan-hinge")
        .imageShape(Shape.of(64, 64, 1)).latent(128)     // z [n, 128] -> images [n, 64, 64, 1] in [-1, 1]
        .networks(FolderDcgan::generator, FolderDcgan::discriminator)
        .optimizer(new Adam.Settings(2e-4, 0.5, 0.999, Adam.EPSILON_DEFAULT))  // Radford et al. 2016
        .step(Steps.alternating(loss))                   // D on real and fake, then G through the updated D
        .build();
    Plan plan = Plan.builder().batchSize(64).epochs(20)
        .samples(SampleSpec.grid(8, 8).everyEpoch().beforeTraining().fixedLatents()
            .file("samples_%03d.png").gif("training.gif", FrameSchedule.ALL).build())
        .build();
    Training.of(gan, plan)
        .imageFolder(Path.of("data/mnist64"))            // any folder of images, read as 64x64 gray
        .runDir(Path.of("runs", gan.name())).exportTo(Path.of("runs", gan.name() + "-model"))
        .commandLine(options.toArray(String[]::new))     // --data DIR, --steps N, --run-dir DIR, --export DIR, ...
        .train();
  }

  /** z to 4x4x256, then three times (upsample, conv, BatchNorm, ReLU) to 32x32x32, then 64x64x1 in tanh. */
  static Sequential generator() {
    Sequential g = new Sequential("generator", Shape.of(128))
        .add(new Dense(4 * 4 * 256).noBias()).add(new Reshape(4, 4, 256))
        .add(new BatchNormalization()).add(new Relu());                    // [n, 4, 4, 256]
    for (int filters : new int[] {128, 64, 32}) {                          // [n, 8, 8, 128] ... [n, 32, 32, 32]
      g.add(new UpSampling2D()).add(new Conv2d(filters, 3).padding(Padding.SAME).noBias())
          .add(new BatchNormalization()).add(new Relu());
    }
    return g.add(new UpSampling2D())
        .add(new Conv2d(1, 3).padding(Padding.SAME).activation(Activation.TANH));  // [n, 64, 64, 1]
  }

  /** Strided 4x4 convolutions and LeakyReLU, then one score: only layers R1 can differentiate twice. */
  static Sequential discriminator() {
    Sequential d = new Sequential("discriminator", Shape.of(64, 64, 1));
    for (int filters : new int[] {32, 64, 128, 256}) {                     // [n, 32, 32, 32] ... [n, 4, 4, 256]
      d.add(new Conv2d(filters, 4).strides(2).padding(Padding.SAME)).add(new LeakyRelu(0.2f));
    }
    return d.add(new Flatten()).add(new Dense(1));                         // [n, 1], no sigmoid
  }
}
