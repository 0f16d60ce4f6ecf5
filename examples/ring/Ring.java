import io.jgan.data.ArraySource;
import io.jgan.gan.Gan;
import io.jgan.gan.Losses;
import io.jgan.gan.Plan;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.Dense;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.training.Training;
import io.jgan.viz.FrameSchedule;
import java.nio.file.Path;
import java.util.Random;
import org.tensorflow.ndarray.Shape;

/** WGAN-GP (Gulrajani et al. 2017) on the toy data of its paper: 2-D points from 8 Gaussians on a ring. */
public class Ring {
  public static void main(String[] args) {
    Random random = new Random(0);
    float[][] points = new float[25_600][];           // radius 2, standard deviation 0.02
    for (int i = 0; i < points.length; i++) {
      double angle = Math.PI / 4 * random.nextInt(8);
      points[i] = new float[] {(float) (2 * Math.cos(angle) + 0.02 * random.nextGaussian()),
          (float) (2 * Math.sin(angle) + 0.02 * random.nextGaussian())};
    }
    Gan gan = Gan.builder("ring-wgan-gp")
        .imageShape(Shape.of(2)).latent(2)              // z [n, 2] -> points [n, 2]
        .networks(() -> mlp("generator", Activation.LINEAR, 2), () -> mlp("critic", Activation.LINEAR, 1))
        .optimizer(new Adam.Settings(1e-4, 0.5, 0.9, Adam.EPSILON_DEFAULT))
        .step(Steps.criticFirst(5, Losses.wasserstein().withPenalty(Losses.gradientPenalty(0.1))))
        .build();
    Plan plan = Plan.builder().batchSize(256).epochs(10).evalEvery(0)
        .samples(SampleSpec.grid(32, 32).everyEpoch().beforeTraining().fixedLatents()     // 1,024 points a plot
            .file("ring_epoch_%03d.png").gif("ring.gif", FrameSchedule.ALL).build())
        .build();
    Training.of(gan, plan)
        .data(ArraySource.rows(points))
        .runDir(Path.of("runs/ring")).exportTo(Path.of("runs/ring-model"))
        .commandLine(args)                              // e.g. --steps 20, --run-dir elsewhere
        .train();
  }

  /** 3 hidden layers of 512 with LeakyReLU (a critic differentiated twice needs it: ReLU has no second derivative here). */
  static Sequential mlp(String name, Activation last, int outputs) {
    Sequential net = new Sequential(name, Shape.of(2));
    for (int i = 0; i < 3; i++) {
      net.add(new Dense(512)).add(new LeakyRelu(0.2f));
    }
    return net.add(new Dense(outputs).activation(last));
  }
}
