package io.jgan.train.loop;

import io.jgan.store.CheckpointManager;
import java.nio.file.Path;

/**
 * The files of one run, all under one directory:
 *
 * <pre>
 *   config.json                     the run's TrainConfig
 *   image_at_epoch_0001.png ...     sample grids (names per preset)
 *   dcgan.gif                       the animation of the grids, at the end
 *   training_checkpoints/           ckpt-N.index, ckpt-N.data-00000-of-00001, checkpoint
 * </pre>
 */
public record RunDirectory(Path root) {
  public static final String CONFIG_FILE = "config.json";
  public static final String CHECKPOINT_DIR = "training_checkpoints";

  public Path config() {
    return root.resolve(CONFIG_FILE);
  }

  public Path checkpoints() {
    return root.resolve(CHECKPOINT_DIR);
  }

  public CheckpointManager checkpointManager(int keep) {
    return new CheckpointManager(checkpoints(), keep);
  }

  public Path resolve(String name) {
    return root.resolve(name);
  }
}
