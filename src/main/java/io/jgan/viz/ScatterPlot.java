package io.jgan.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Samples of two values each (a GAN of 2-D points, such as a ring of Gaussians) as a scatter plot:
 * a square of {@value #SIZE} pixels, the axes through the origin, each point a small dot. The view
 * is symmetric about the origin and wide enough for every point, in whole units (at least
 * {@value #MIN_HALF_WIDTH}): frames of one run keep one view while the points stay within it.
 *
 * <pre>{@code
 * BufferedImage plot = ScatterPlot.render(new float[] {0, 0, 1.5f, -1}, 2);   // points (0, 0) and (1.5, -1)
 * }</pre>
 */
public final class ScatterPlot {
  /** Width and height in pixels. */
  public static final int SIZE = 480;
  /** The smallest half-width of the view, in data units. */
  public static final double MIN_HALF_WIDTH = 2;
  private static final int DOT = 3;

  private ScatterPlot() {}

  /** {@code count} points, {@code xy} as x0, y0, x1, y1, ... */
  public static BufferedImage render(float[] xy, int count) {
    if (xy.length != 2 * count) {
      throw new IllegalArgumentException("expected " + 2 * count + " values (x, y per point), got " + xy.length);
    }
    double half = MIN_HALF_WIDTH;
    for (float v : xy) {
      if (Float.isFinite(v)) {
        half = Math.max(half, Math.ceil(Math.abs(v) * 1.05));
      }
    }
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(ImageGrid.BACKGROUND, ImageGrid.BACKGROUND, ImageGrid.BACKGROUND));
      g.fillRect(0, 0, SIZE, SIZE);
      g.setColor(new Color(90, 90, 90));
      g.drawLine(0, SIZE / 2, SIZE, SIZE / 2);
      g.drawLine(SIZE / 2, 0, SIZE / 2, SIZE);
      g.setColor(new Color(255, 200, 60));
      double scale = (SIZE - 1) / (2 * half);
      for (int i = 0; i < count; i++) {
        float x = xy[2 * i];
        float y = xy[2 * i + 1];
        if (Float.isFinite(x) && Float.isFinite(y)) {
          int px = (int) Math.round((x + half) * scale);
          int py = (int) Math.round((half - y) * scale); // y up
          g.fillOval(px - DOT / 2, py - DOT / 2, DOT, DOT);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }
}
