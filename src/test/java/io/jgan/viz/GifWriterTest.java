package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifWriterTest {
  @TempDir Path dir;

  @Test
  void framesReadBackInOrderAndLoopForever() throws Exception {
    List<BufferedImage> frames = new ArrayList<>();
    for (int level : new int[] {0, 128, 255}) {
      BufferedImage f = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 6; x++) {
          f.getRaster().setPixel(x, y, new int[] {level});
        }
      }
      frames.add(f);
    }
    Path gif = dir.resolve("a.gif");
    GifWriter.write(frames, gif, 37);
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      reader.setInput(in);
      assertEquals(3, reader.getNumImages(true));
      int[] expected = {0, 128, 255};
      for (int i = 0; i < 3; i++) {
        BufferedImage f = reader.read(i);
        assertEquals(6, f.getWidth());
        assertEquals(4, f.getHeight());
        assertEquals(expected[i], f.getRGB(3, 2) & 0xFF, "frame " + i);
        // Each frame shows for the delay given, in hundredths of a second.
        javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode)
            reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        javax.imageio.metadata.IIOMetadataNode control =
            (javax.imageio.metadata.IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        assertEquals("37", control.getAttribute("delayTime"), "frame " + i);
        assertEquals("none", control.getAttribute("disposalMethod"), "frame " + i);
      }
    } finally {
      reader.dispose();
    }
    String bytes = new String(Files.readAllBytes(gif), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(bytes.contains("NETSCAPE2.0\u0003\u0001\u0000\u0000"), "the looping extension, loop count 0 (forever)");
    assertEquals(0x3B, bytes.charAt(bytes.length() - 1), "the GIF trailer ends the file (viewers may reject a GIF without it)");
  }

  @Test
  void noFramesIsAnError() {
    Path gif = dir.resolve("none.gif");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> GifWriter.write(List.of(), gif, 10));
    assertEquals("expected at least one frame for " + gif + ", got none", e.getMessage());
    assertTrue(Files.notExists(gif));
  }

  @Test
  void rgbFramesWork() throws Exception {
    // 16x16: the JDK's GIF reader mis-decodes 2x2 images (Pillow reads the same file correctly).
    BufferedImage f = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    f.setRGB(0, 0, 0xFF0000);
    f.setRGB(1, 1, 0x00FF00);
    Path gif = dir.resolve("rgb.gif");
    GifWriter.write(List.of(f), gif, 10);
    BufferedImage read = ImageIO.read(gif.toFile());
    assertEquals(0xFF0000, read.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x00FF00, read.getRGB(1, 1) & 0xFFFFFF);
  }
}
