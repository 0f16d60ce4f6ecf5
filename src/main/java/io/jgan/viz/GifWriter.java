package io.jgan.viz;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes an animated GIF that loops forever (the tutorials' {@code imageio} animation), with the
 * JDK's GIF writer. Written through a temporary file and an atomic rename.
 *
 * <pre>{@code
 * GifWriter.write(List.of(first, second), Path.of("dcgan.gif"), GifWriter.DELAY_CENTISECONDS_DEFAULT);
 * }</pre>
 */
public final class GifWriter {
  /** Delay between frames in hundredths of a second (imageio's default duration is 0.1 s). */
  public static final int DELAY_CENTISECONDS_DEFAULT = 10;

  private GifWriter() {}

  public static void write(List<BufferedImage> frames, Path file, int delayCentiseconds) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("expected at least one frame for " + file + ", got none");
    }
    io.jgan.AtomicFiles.write(file, tmp -> {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
      try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        for (BufferedImage frame : frames) {
          IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
          configure(metadata, delayCentiseconds);
          writer.writeToSequence(new IIOImage(frame, null, metadata), null);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
    });
  }

  /** Frame delay, and the NETSCAPE2.0 application extension that makes viewers loop forever. */
  private static void configure(IIOMetadata metadata, int delay) throws javax.imageio.metadata.IIOInvalidTreeException {
    String format = metadata.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(delay));
    control.setAttribute("transparentColorIndex", "0");
    IIOMetadataNode extensions = child(root, "ApplicationExtensions");
    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
    loop.setAttribute("applicationID", "NETSCAPE");
    loop.setAttribute("authenticationCode", "2.0");
    loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
    extensions.appendChild(loop);
    metadata.setFromTree(format, root);
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
