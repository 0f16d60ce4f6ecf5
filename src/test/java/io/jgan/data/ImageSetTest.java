package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageSetTest {

  @Test
  void indexesPixelsRowMajorImageRowColumnChannel() {
    // 2 images of 2 x 3 RGB: byte i holds i, so pixel (n, y, x, c) is ((n*2 + y)*3 + x)*3 + c.
    byte[] pixels = new byte[2 * 2 * 3 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7); // 7 * 35 = 245 at most: every value fits below 256
    }
    ImageSet set = new ImageSet("rgb", 2, 2, 3, 3, pixels, null, 0);
    assertEquals(18, set.imageSize());
    assertEquals(7 * 31, set.pixel(1, 1, 1, 1)); // 18 + 9 + 3 + 1 = 31
    assertEquals(0, set.pixel(0, 0, 0, 0));
    assertFalse(set.labelled());
  }

  @Test
  void readsPixelsAsUnsigned() {
    ImageSet set = new ImageSet("one", 1, 1, 1, 1, new byte[] {(byte) 0xff}, new int[] {3}, 10);
    assertEquals(255, set.pixel(0, 0, 0, 0));
    assertEquals(3, set.label(0));
    assertTrue(set.labelled());
  }

  @Test
  void rejectsPixelCountThatDoesNotMatchTheSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 2, 2, 2, 1, new byte[7], null, 0));
    assertTrue(e.getMessage().contains("expected 8 pixel bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("got 7"), e.getMessage());
  }

  @Test
  void rejectsLabelCountThatDoesNotMatchTheImageCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 2, 1, 1, 1, new byte[2], new int[3], 10));
    assertTrue(e.getMessage().contains("expected 2 labels"), e.getMessage());
    assertTrue(e.getMessage().contains("got 3"), e.getMessage());
  }

  @Test
  void rejectsLabelOutOfRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 2, 1, 1, 1, new byte[2], new int[] {0, 10}, 10));
    assertTrue(e.getMessage().contains("expected labels in [0, 10)"), e.getMessage());
    assertTrue(e.getMessage().contains("got 10 for image 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 1, 1, 1, 1, new byte[1], new int[] {-1}, 10));
  }

  @Test
  void rejectsClassCountWithoutLabelsAndNonPositiveSizes() {
    assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 1, 1, 1, 1, new byte[1], null, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 0, 1, 1, 1, new byte[0], null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new ImageSet("bad", 1, 1, 1, 0, new byte[0], null, 0));
    // Each size is checked itself: a zero height or width would otherwise pass with no pixels.
    assertEquals("bad: expected a positive height, got 0",
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("bad", 1, 0, 1, 1, new byte[0], null, 0)).getMessage());
    assertEquals("bad: expected a positive width, got 0",
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("bad", 1, 1, 0, 1, new byte[0], null, 0)).getMessage());
    assertEquals("bad: expected a positive numClasses, got 0",
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("bad", 1, 1, 1, 1, new byte[1], new int[] {0}, 0))
            .getMessage());
  }

  @Test
  void comparesContents() {
    ImageSet a = new ImageSet("s", 1, 1, 2, 1, new byte[] {1, 2}, new int[] {1}, 2);
    ImageSet b = new ImageSet("s", 1, 1, 2, 1, new byte[] {1, 2}, new int[] {1}, 2);
    ImageSet c = new ImageSet("s", 1, 1, 2, 1, new byte[] {1, 3}, new int[] {1}, 2);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertFalse(a.equals(c));
  }
}
