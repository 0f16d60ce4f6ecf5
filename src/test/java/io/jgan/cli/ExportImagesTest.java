package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-images writes real MNIST as PNGs and a CelebA-format CSV made from the labels. */
class ExportImagesTest {
  @TempDir Path dir;

  @Test
  void writesPngsAndOneMinusOneTableFromTheLabels() throws Exception {
    Path out = dir.resolve("mnist");
    CommandLineTest.Outcome o = CommandLineTest.run("export-images", "--dataset", "mnist", "--out", out.toString(),
        "--limit", "3", "--size", "32", "--rgb");
    assertEquals(0, o.status(), o.err());
    List<String> lines = Files.readAllLines(out.resolve("list_attr_celeba.csv"));
    assertEquals("image_id,digit_0,digit_1,digit_2,digit_3,digit_4,digit_5,digit_6,digit_7,digit_8,digit_9", lines.get(0));
    // MNIST's first training labels are 5, 0, 4.
    assertEquals("000001.png,-1,-1,-1,-1,-1,1,-1,-1,-1,-1", lines.get(1));
    assertEquals("000002.png,1,-1,-1,-1,-1,-1,-1,-1,-1,-1", lines.get(2));
    assertEquals("000003.png,-1,-1,-1,-1,1,-1,-1,-1,-1,-1", lines.get(3));
    BufferedImage first = ImageIO.read(out.resolve("000001.png").toFile());
    assertEquals(32, first.getWidth());
    assertEquals(3, first.getRaster().getNumBands());
    // MNIST's corners are background (0).
    assertEquals(0, first.getRGB(0, 0) & 0xFFFFFF);
  }

  @Test
  void refusesANonEmptyFolder() throws Exception {
    Files.writeString(dir.resolve("keep.txt"), "mine");
    CommandLineTest.Outcome o = CommandLineTest.run("export-images", "--dataset", "mnist", "--out", dir.toString());
    assertEquals(2, o.status());
    assertTrue(o.err().contains("expected a new or empty folder"), o.err());
  }
}
