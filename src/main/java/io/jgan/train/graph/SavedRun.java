package io.jgan.train.graph;

import io.jgan.store.CheckpointHeader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run's checkpoint holds besides the four objects: the run's progress and configuration
 * (under {@code _jgan/...} keys, which Python ignores) and {@code save_counter}. Reading it needs
 * no model graph ({@link #read}).
 *
 * @param progress where the run stood
 * @param configJson the run's configuration, as {@code config.json} holds it (null if absent)
 * @param saveCounter the checkpoint's number
 */
public record SavedRun(Progress progress, String configJson, long saveCounter) {
  static final String GLOBAL_STEP = "_jgan/global_step";
  static final String EPOCH = "_jgan/epoch";
  static final String STEP_IN_EPOCH = "_jgan/step_in_epoch";
  static final String CONFIG = "_jgan/config";
  static final List<String> INTEGER_KEYS = List.of(GLOBAL_STEP, EPOCH, STEP_IN_EPOCH);
  static final List<String> TEXT_KEYS = List.of(CONFIG);

  /** The progress, configuration and counter of the checkpoint at {@code prefix}, without building a model. */
  public static SavedRun read(Path prefix) {
    return of(CheckpointHeader.read(prefix, INTEGER_KEYS, TEXT_KEYS));
  }

  static SavedRun of(CheckpointHeader h) {
    Map<String, Long> ints = h.integers();
    Progress p = new Progress(ints.getOrDefault(GLOBAL_STEP, 0L), ints.getOrDefault(EPOCH, 0L),
        ints.getOrDefault(STEP_IN_EPOCH, 0L));
    return new SavedRun(p, h.texts().get(CONFIG), h.saveCounter());
  }

  static Map<String, Long> integers(Progress p) {
    return Map.of(GLOBAL_STEP, p.globalStep(), EPOCH, p.epoch(), STEP_IN_EPOCH, p.stepInEpoch());
  }
}
