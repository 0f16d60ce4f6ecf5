package io.jgan.gan;

import io.jgan.data.Dataset;

/**
 * Where a preset's real images come from by default.
 *
 * <pre>{@code
 * DataSpec mnist = DataSpec.of(Dataset.MNIST);
 * DataSpec folder = DataSpec.folder();   // --data-dir names a folder of images
 * Preset.Builder b = Preset.builder("dcgan-lego").data(folder);
 * }</pre>
 *
 * @param dataset the IDX dataset trained on by default, or null for presets that train on an image
 *     folder given with {@code --data} (seed 003)
 * @param conditional whether the networks take a class label (seed 003's conditional WGAN-GP)
 * @param defaultLabel for a conditional preset on a folder: the attribute of the CSV used as the
 *     label (seed 003: {@code Blond_Hair}); null otherwise
 */
public record DataSpec(Dataset dataset, boolean conditional, String defaultLabel) {
  public static DataSpec of(Dataset dataset) {
    return new DataSpec(dataset, false, null);
  }

  public static DataSpec folder() {
    return new DataSpec(null, false, null);
  }

  public static DataSpec conditionalFolder(String defaultLabel) {
    return new DataSpec(null, true, defaultLabel);
  }

  /** A program's own data, given to the run (no default source); {@code conditional} when labelled. */
  public static DataSpec given(boolean conditional) {
    return new DataSpec(null, conditional, null);
  }

  public boolean folderByDefault() {
    return dataset == null;
  }
}
