package io.jgan.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java examples of docs/exports.md, as a user copies them: each {@code <!-- example: Name.java -->} block
 * is compiled against the project's classpath and run in a JVM of its own, in a directory where
 * {@code savedmodels/} is the repository's, so it loads the committed model exactly as written.
 */
class ReadmeExamplesTest {
  private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\w+)\\.java -->\\s*```java\\n(.*?)```",
      Pattern.DOTALL);

  /** Where the examples are documented. */
  private static final String DOC = "docs/exports.md";

  @TempDir Path dir;

  @Test
  void theGeneratorExampleWritesSixteenDigits() throws Exception {
    String out = compileAndRun("Digits");
    BufferedImage grid = ImageIO.read(dir.resolve("digits.png").toFile());
    assertEquals(grid.getWidth(), grid.getHeight(), "a 4x4 grid is square");
    assertTrue(grid.getWidth() > 4 * 28, "16 images of 28x28, zoomed: " + grid.getWidth());
    assertTrue(out.startsWith("dcgan-mnist: 16 images of 28x28x1"), out);
  }

  @Test
  void thePlainTensorFlowExampleRunsTheSignature() throws Exception {
    String out = compileAndRun("PlainTensorFlow");
    assertTrue(out.startsWith("[4, 28, 28, 1]"), out);
    String[] words = out.trim().split(" ");
    float pixel = Float.parseFloat(words[words.length - 1]);
    assertTrue(pixel >= -1 && pixel <= 1, "a tanh output: " + pixel);
  }

  /** Compiles the documented example {@code name}, runs it in {@link #dir}, returns what it printed. */
  private String compileAndRun(String name) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    String readme = Files.readString(root.resolve(DOC), StandardCharsets.UTF_8);
    Matcher m = EXAMPLE.matcher(readme);
    String source = null;
    while (m.find()) {
      if (m.group(1).equals(name)) {
        source = m.group(2);
      }
    }
    assertTrue(source != null, DOC + " has no <!-- example: " + name + ".java --> block");
    Path file = dir.resolve(name + ".java");
    Files.writeString(file, source, StandardCharsets.UTF_8);
    String classpath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "-classpath", classpath, "-d", dir.toString(), file.toString()),
        DOC + "'s " + name + " compiles");
    Files.createSymbolicLink(dir.resolve("savedmodels"), root.resolve("savedmodels"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", dir + File.pathSeparator + classpath, name));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), name + " finished");
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    // TensorFlow's native log lines go to the same stream; the example's own line is the last one.
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    return lines.get(lines.size() - 1);
  }
}
