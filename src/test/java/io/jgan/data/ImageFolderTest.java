package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-folder loader on a folder the test writes with every awkward case of RELIABILITY.md
 * scenario 9. Expected pixels are worked out by hand from the files' own values.
 */
class ImageFolderTest {
  @TempDir Path dir;
  @TempDir Path cache;

  @Test
  void awkwardFolderIsConvertedOrReportedNeverCrashing() throws Exception {
    // Converted: 8-bit gray, RGB (luma), RGBA (alpha dropped), 16-bit gray, palette, BMP, GIF, JPEG,
    // upper-case extension, a nested folder, another size.
    writeGray8(dir.resolve("a_gray.png"), 2, 2, 100);
    writeRgb(dir.resolve("b_rgb.png"), BufferedImage.TYPE_INT_RGB, 200, 100, 50);
    writeRgb(dir.resolve("c_rgba.png"), BufferedImage.TYPE_INT_ARGB, 10, 20, 30);
    writeGray16(dir.resolve("d_gray16.png"), 0x8080);
    writePalette(dir.resolve("e_palette.png"));
    writeRgb(dir.resolve("f_bitmap.bmp"), BufferedImage.TYPE_INT_RGB, 0, 0, 255);
    writeGray8(dir.resolve("g_anim.gif"), 8, 8, 60); // the JDK GIF reader mis-decodes 2x2 GIFs
    writeGray8(dir.resolve("h_photo.jpg"), 8, 8, 128);
    writeGray8(dir.resolve("I_UPPER.PNG"), 2, 2, 30);
    Files.createDirectories(dir.resolve("nested"));
    writeGray8(dir.resolve("nested/j_inner.png"), 2, 2, 250);
    writeGray8(dir.resolve("k_big.png"), 6, 6, 77);
    // Reported: zero bytes, truncated PNG, a truncated JPEG (ImageIO only warns), text named .png, CMYK JPEG.
    Files.write(dir.resolve("m_empty.png"), new byte[0]);
    byte[] png = Files.readAllBytes(dir.resolve("a_gray.png"));
    Files.write(dir.resolve("n_truncated.png"), Arrays.copyOf(png, png.length / 2));
    byte[] jpg = jpegBytes(64);
    Files.write(dir.resolve("o_truncated.jpg"), Arrays.copyOf(jpg, jpg.length * 2 / 3));
    Files.writeString(dir.resolve("p_text.png"), "this is not an image");
    writeCmykJpeg(dir.resolve("q_cmyk.jpg"));
    // Ignored: no image extension.
    Files.writeString(dir.resolve("notes.txt"), "hello");

    ImageFolder.Loaded loaded = ImageFolder.load(dir, 2, 2, 1, 2, cache);
    List<String> good = loaded.files().stream().map(p -> dir.relativize(p).toString()).toList();
    // Sorted by path: upper case sorts before lower case, the nested folder after its siblings' 'n...'.
    assertEquals(List.of("I_UPPER.PNG", "a_gray.png", "b_rgb.png", "c_rgba.png", "d_gray16.png", "e_palette.png",
        "f_bitmap.bmp", "g_anim.gif", "h_photo.jpg", "k_big.png", "nested/j_inner.png"), good);
    List<String> bad = loaded.bad().stream().map(b -> b.file().getFileName().toString()).toList();
    assertEquals(List.of("m_empty.png", "n_truncated.png", "o_truncated.jpg", "p_text.png", "q_cmyk.jpg"), bad);
    assertTrue(loaded.bad().get(0).reason().contains("empty file"), loaded.bad().get(0).reason());
    assertTrue(loaded.bad().get(2).reason().contains("warning"), loaded.bad().get(2).reason());
    assertTrue(loaded.bad().get(4).reason().contains("CMYK") || loaded.bad().get(4).reason().contains("cannot decode"),
        loaded.bad().get(4).reason());
    assertEquals(1, loaded.ignored());

    Images set = loaded.images();
    assertEquals(11, set.count());
    assertPixel(set, good.indexOf("a_gray.png"), 100);
    // luma(200, 100, 50) = (200*299 + 100*587 + 50*114 + 500) / 1000 = 124.9 -> 124 (integer division after +500: 125400/1000)
    assertPixel(set, good.indexOf("b_rgb.png"), (200 * 299 + 100 * 587 + 50 * 114 + 500) / 1000);
    assertPixel(set, good.indexOf("c_rgba.png"), (10 * 299 + 20 * 587 + 30 * 114 + 500) / 1000);
    assertPixel(set, good.indexOf("d_gray16.png"), 128); // 0x8080 = 32896 -> 32896 * 255 / 65535 = 128.0
    assertPixel(set, good.indexOf("e_palette.png"), (255 * 299 + 500) / 1000); // palette entry 1 is pure red
    assertPixel(set, good.indexOf("f_bitmap.bmp"), (255 * 114 + 500) / 1000); // pure blue
    assertPixel(set, good.indexOf("g_anim.gif"), 60);
    assertPixel(set, good.indexOf("k_big.png"), 77); // 6x6 resized to 2x2 of a flat image stays flat
    assertPixel(set, good.indexOf("nested/j_inner.png"), 250);
    int jpegValue = set.pixel(good.indexOf("h_photo.jpg"), 0, 0, 0);
    assertTrue(Math.abs(jpegValue - 128) <= 2, "a flat JPEG decodes near its value, got " + jpegValue);
  }

  @Test
  void rgbTargetRepeatsGrayAndKeepsColour() throws Exception {
    writeGray8(dir.resolve("a.png"), 2, 2, 90);
    writeRgb(dir.resolve("b.png"), BufferedImage.TYPE_INT_RGB, 200, 100, 50);
    Images set = ImageFolder.load(dir, 2, 2, 3, 1, cache).images();
    assertEquals(90, set.pixel(0, 1, 1, 2));
    assertEquals(200, set.pixel(1, 0, 0, 0));
    assertEquals(100, set.pixel(1, 0, 0, 1));
    assertEquals(50, set.pixel(1, 0, 0, 2));
  }

  @Test
  void emptyFolderAndFolderWithoutImagesAreClearErrors() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFolder.load(empty, 4, 4, 1, 1, cache));
    assertTrue(e.getMessage().startsWith(empty + ": expected image files"), e.getMessage());
    Path texts = Files.createDirectories(dir.resolve("texts"));
    Files.writeString(texts.resolve("a.csv"), "x");
    e = assertThrows(BadInputException.class, () -> ImageFolder.load(texts, 4, 4, 1, 1, cache));
    assertTrue(e.getMessage().contains("found none (1 other files)"), e.getMessage());
    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.write(broken.resolve("a.png"), new byte[0]);
    e = assertThrows(BadInputException.class, () -> ImageFolder.load(broken, 4, 4, 1, 1, cache));
    assertTrue(e.getMessage().contains("none of the 1 image files could be read"), e.getMessage());
    Path missing = dir.resolve("missing");
    e = assertThrows(BadInputException.class, () -> ImageFolder.load(missing, 4, 4, 1, 1, cache));
    assertEquals(missing + ": expected a folder of images, got nothing", e.getMessage());
  }

  @Test
  void folderGivenAsALinkAndLinksToFoldersAndFilesInsideAreFollowed() throws Exception {
    Path real = dir.resolve("real");
    Path elsewhere = dir.resolve("elsewhere");
    writeGray8(real.resolve("a.png"), 2, 2, 10);
    writeGray8(real.resolve("sub/b.png"), 2, 2, 20);
    writeGray8(elsewhere.resolve("c.png"), 2, 2, 30);
    writeGray8(elsewhere.resolve("d/e.png"), 2, 2, 40);
    Files.createSymbolicLink(real.resolve("linked-file.png"), elsewhere.resolve("c.png"));
    Files.createSymbolicLink(real.resolve("linked-dir"), elsewhere.resolve("d"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real); // data/celeba -> /mnt/disk/celeba

    ImageFolder.Loaded viaLink = ImageFolder.load(link, 2, 2, 1, 1, cache);
    assertEquals(List.of("a.png", "linked-dir/e.png", "linked-file.png", "sub/b.png"),
        viaLink.files().stream().map(p -> link.relativize(p).toString()).toList());
    int[] values = {10, 40, 30, 20};
    for (int i = 0; i < values.length; i++) {
      assertPixel(viaLink.images(), i, values[i]);
    }
    assertEquals(List.of(), viaLink.bad());
    ImageFolder.Loaded viaTarget = ImageFolder.load(real, 2, 2, 1, 1, cache);
    assertEquals(0, viaTarget.decoded(), "the link and its target share one cache");
    assertEquals(4, viaTarget.images().count());
  }

  @Test
  void linkLoopIsAClearErrorNamingTheLink() throws Exception {
    Path real = dir.resolve("real");
    writeGray8(real.resolve("a.png"), 2, 2, 10);
    Path self = Files.createSymbolicLink(real.resolve("self"), Path.of("."));
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFolder.load(real, 2, 2, 1, 1, cache));
    assertEquals(self + ": expected symbolic links to lead out of their folder, got a loop: this is " + real.toRealPath()
        + " again, reached through the link " + self + " (to .); remove the link or point it elsewhere", e.getMessage());

    // A link to the parent folder closes the loop one level further down, at the folder itself.
    Files.delete(self);
    Files.createDirectories(real.resolve("nested"));
    Path up = Files.createSymbolicLink(real.resolve("nested/up"), Path.of("../.."));
    e = assertThrows(BadInputException.class, () -> ImageFolder.load(real, 2, 2, 1, 1, cache));
    assertEquals(up.resolve("real") + ": expected symbolic links to lead out of their folder, got a loop: this is "
        + real.toRealPath() + " again, reached through the link " + up + " (to ../..); remove the link or point it"
        + " elsewhere", e.getMessage());
  }

  @Test
  void linkToNothingNamedLikeAnImageIsABadImage() throws Exception {
    Path real = dir.resolve("real");
    writeGray8(real.resolve("a.png"), 2, 2, 10);
    Path gone = Files.createSymbolicLink(real.resolve("gone.png"), dir.resolve("deleted.png"));
    ImageFolder.Loaded loaded = ImageFolder.load(real, 2, 2, 1, 1, cache);
    assertEquals(List.of(new ImageFolder.BadImage(gone, "a symbolic link to nothing (" + dir.resolve("deleted.png") + ")")),
        loaded.bad());
    assertEquals(1, loaded.images().count());
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("no-such-folder"));
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFolder.load(dangling, 2, 2, 1, 1, cache));
    assertEquals(dangling + ": expected a folder of images, got a symbolic link to nothing", e.getMessage());
  }

  private static void assertPixel(Images set, int image, int expected) {
    for (int y = 0; y < set.height(); y++) {
      for (int x = 0; x < set.width(); x++) {
        assertEquals(expected, set.pixel(image, y, x, 0), "image " + image + " at " + y + "," + x);
      }
    }
  }

  static void writeGray8(Path file, int w, int h, int value) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    fill(img.getRaster(), value);
    String format = file.toString().toLowerCase().endsWith(".gif") ? "gif" : file.toString().toLowerCase().endsWith(".jpg") ? "jpg" : "png";
    assertTrue(ImageIO.write(img, format, file.toFile()));
  }

  private static void writeRgb(Path file, int type, int r, int g, int b) throws Exception {
    BufferedImage img = new BufferedImage(2, 2, type);
    int argb = (0x80 << 24) | (r << 16) | (g << 8) | b;
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        img.setRGB(x, y, argb);
      }
    }
    assertTrue(ImageIO.write(img, file.toString().endsWith(".bmp") ? "bmp" : "png", file.toFile()));
  }

  private static void writeGray16(Path file, int value) throws Exception {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    fill(img.getRaster(), value);
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  private static void writePalette(Path file) throws Exception {
    byte[] r = {0, (byte) 255}, g = {0, 0}, b = {0, 0};
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    fill(img.getRaster(), 1);
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  private static void fill(WritableRaster raster, int value) {
    for (int y = 0; y < raster.getHeight(); y++) {
      for (int x = 0; x < raster.getWidth(); x++) {
        raster.setSample(x, y, 0, value);
      }
    }
  }

  private static byte[] jpegBytes(int size) throws Exception {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 13) % 256);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  /** A 4-channel JPEG, which readers take as CMYK (ImageIO writes it from a raw raster). */
  private static void writeCmykJpeg(Path file) throws Exception {
    WritableRaster raster = Raster.createBandedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 8, 8, 4, null);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
  }
}
