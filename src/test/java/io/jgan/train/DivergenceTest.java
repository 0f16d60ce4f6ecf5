package io.jgan.train;

import io.jgan.PixelScale;
import io.jgan.data.Batches;
import io.jgan.data.ImageSet;
import io.jgan.nn.ResourceVariable;
import io.jgan.store.CheckpointManager;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.Schedule;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.listeners.Checkpointing;
import io.jgan.train.loop.DivergedException;
import io.jgan.train.loop.RunDirectory;
import io.jgan.train.loop.Trainer;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * A NaN stops training at once, naming the step and the tensor, and no checkpoint holding it
 * becomes the latest (RELIABILITY.md scenario 7). The NaN is written into a weight by a listener,
 * as a diverging run would leave it.
 */
class DivergenceTest {
  private static final int STEPS_PER_EPOCH = 2;
  @TempDir Path dir;

  /** Writes NaN into the generator's first kernel after global step {@code atStep}. */
  private static TrainingListener poisonAfter(long atStep) {
    return new TrainingListener() {
      @Override
      public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
        if (globalStep == atStep) {
          var tf = run.graph().tf();
          ResourceVariable<TFloat32> kernel =
              run.graph().networks().generator().weights().get(0).as(TFloat32.class);
          run.session().run(kernel.assign(tf, tf.math.mul(kernel.read(tf), tf.constant(Float.NaN))));
        }
      }
    };
  }

  /** Trains TinyGan for 3 epochs of 2 steps, checkpointing every epoch; returns the lines printed. */
  private List<String> trainPoisoned(long atStep, CheckpointManager checkpoints, List<DivergedException> thrown) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    byte[] pixels = new byte[16 * 16];
    new Random(3).nextBytes(pixels);
    ImageSet images = new ImageSet("random", 16, 4, 4, 1, pixels, null, 0);
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      TrainingRun run = new TrainingRun(g, s, new RunDirectory(dir), new PrintStream(printed, true),
          new Schedule(3, STEPS_PER_EPOCH, 0), Progress.START);
      List<TrainingListener> listeners = new ArrayList<>(List.of(poisonAfter(atStep), new Checkpointing(checkpoints, 1, 0, "{}", 0)));
      thrown.add(assertThrows(DivergedException.class,
          () -> new Trainer(run, new Batches(images, PixelScale.TANH, 4, 7), listeners).train()));
    }
    return printed.toString().lines().toList();
  }

  @Test
  void nanLossStopsAtTheNextStepNamingIt() {
    CheckpointManager checkpoints = new CheckpointManager(dir.resolve("ckpts"), 0);
    List<DivergedException> thrown = new ArrayList<>();
    // Step 3 is the first of epoch 2: its NaN weight shows in step 4's losses.
    List<String> printed = trainPoisoned(3, checkpoints, thrown);
    DivergedException e = thrown.get(0);
    assertEquals(4, e.step());
    assertTrue(e.getMessage().startsWith("training diverged at step 4 (epoch 2): d_loss is NaN"), e.getMessage());
    assertEquals(List.of("Saved checkpoint " + checkpoints.directory().resolve("ckpt-1")), printed);
    assertEquals(checkpoints.directory().resolve("ckpt-1"), checkpoints.latest().orElseThrow());
  }

  @Test
  void nanWeightIsNotCheckpointed() {
    CheckpointManager checkpoints = new CheckpointManager(dir.resolve("ckpts"), 0);
    List<DivergedException> thrown = new ArrayList<>();
    // Step 4 ends epoch 2: the epoch's checkpoint would hold the NaN, so it is refused.
    trainPoisoned(4, checkpoints, thrown);
    DivergedException e = thrown.get(0);
    assertEquals(4, e.step());
    assertEquals("training diverged by step 4: NaN or infinity in generator/0_dense/kernel; not saving checkpoint ckpt-2",
        e.getMessage());
    assertEquals(checkpoints.directory().resolve("ckpt-1"), checkpoints.latest().orElseThrow());
    assertEquals(List.of(checkpoints.directory().resolve("ckpt-1")), checkpoints.completeOnDisk());
  }
}
