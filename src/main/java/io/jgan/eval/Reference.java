package io.jgan.eval;

import io.jgan.data.ImageSet;

/**
 * The real images samples are measured against: a dataset's test set as the judge sees it, its
 * features summarised once (as a whole and per class) for the Frechet distance and kept for KID.
 */
public final class Reference {
  private final String name;
  private final Judge.Outputs outputs;
  private final int[] labels;
  private final int classes;
  private final FrechetDistance.Gaussian gaussian;
  private final FrechetDistance.Gaussian[] perClass;

  private Reference(String name, Judge.Outputs outputs, int[] labels, int classes) {
    this.name = name;
    this.outputs = outputs;
    this.labels = labels;
    this.classes = classes;
    this.gaussian = FrechetDistance.fit(outputs.features());
    this.perClass = new FrechetDistance.Gaussian[classes];
  }

  /** Every image of a labelled set (the test set) through the judge. */
  public static Reference of(Judge judge, ImageSet set) {
    return new Reference(set.name(), judge.run(set, 0, set.count()), set.labels(), set.numClasses());
  }

  /** Features and logits given directly (tests, the parity check). */
  public static Reference of(String name, Judge.Outputs outputs, int[] labels, int classes) {
    return new Reference(name, outputs, labels, classes);
  }

  public String name() {
    return name;
  }

  public Judge.Outputs outputs() {
    return outputs;
  }

  public int classes() {
    return classes;
  }

  public FrechetDistance.Gaussian gaussian() {
    return gaussian;
  }

  /** The Gaussian of the reference images of class {@code c}. */
  public synchronized FrechetDistance.Gaussian gaussianOfClass(int c) {
    if (perClass[c] == null) {
      perClass[c] = FrechetDistance.fit(rowsOfClass(outputs.features(), labels, c));
    }
    return perClass[c];
  }

  static double[][] rowsOfClass(double[][] rows, int[] labels, int c) {
    int n = 0;
    for (int l : labels) {
      n += l == c ? 1 : 0;
    }
    double[][] out = new double[n][];
    int k = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == c) {
        out[k++] = rows[i];
      }
    }
    return out;
  }
}
