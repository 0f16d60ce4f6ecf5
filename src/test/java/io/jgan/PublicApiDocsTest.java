package io.jgan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type of the public API ({@link ArchitectureTest#PUBLIC_API}: the root
 * package's own files, nn, optim, data, viz, gan, training, api; none of them has subpackages) has
 * a Javadoc comment with a usage example, a {@code <pre>{@code ...}</pre>} block: a program's
 * author reads the API from its Javadoc, and an example shows in a few lines how a type is
 * obtained and used. Read from the sources, one directory per package: the comment must directly
 * precede the declaration (annotations may stand between).
 */
class PublicApiDocsTest {
  static final Path SOURCES = Path.of("src/main/java");

  /** The public API packages, as directories; each is read one level deep. */
  static final List<String> PACKAGES = List.of("io/jgan", "io/jgan/nn", "io/jgan/optim", "io/jgan/data",
      "io/jgan/viz", "io/jgan/gan", "io/jgan/training", "io/jgan/api");

  /** A public top-level declaration: at the start of a line (top-level code is not indented). */
  static final Pattern DECLARATION = Pattern.compile(
      "^public\\s+(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
      Pattern.MULTILINE);
  /** An annotation at the end of the text before a declaration, with simple arguments. */
  static final Pattern TRAILING_ANNOTATION = Pattern.compile("@[\\w.]+(?:\\([^()]*\\))?\\s*$");

  @Test
  void everyPublicTypeHasAUsageExample() throws IOException {
    Set<String> offenders = new TreeSet<>();
    int types = 0;
    for (String pkg : PACKAGES) {
      Path dir = SOURCES.resolve(pkg);
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("package-info.java"))
            .sorted().toList();
      }
      for (Path file : files) {
        String source = Files.readString(file);
        for (String problem : problems(source)) {
          types++;
          if (problem != null) {
            offenders.add(SOURCES.relativize(file) + ": " + problem);
          }
        }
      }
    }
    assertTrue(types >= 90, "expected the public API's types, found " + types + " (run from the project root)");
    assertTrue(offenders.isEmpty(), "public types without a Javadoc usage example (<pre>{@code ...}</pre>):\n  "
        + String.join("\n  ", offenders));
  }

  /** For each public top-level type of {@code source}: null when documented with an example, else what is wrong. */
  static List<String> problems(String source) {
    List<String> result = new ArrayList<>();
    Matcher m = DECLARATION.matcher(source);
    while (m.find()) {
      String before = source.substring(0, m.start()).stripTrailing();
      for (Matcher a = TRAILING_ANNOTATION.matcher(before); a.find(); a = TRAILING_ANNOTATION.matcher(before)) {
        before = before.substring(0, a.start()).stripTrailing();
      }
      int open = before.lastIndexOf("/**");
      if (!before.endsWith("*/") || open < 0 || before.indexOf("*/", open) != before.length() - 2) {
        result.add(m.group(1) + " has no Javadoc comment");
      } else if (!before.substring(open).contains("<pre>{@code")) {
        result.add(m.group(1) + "'s Javadoc has no <pre>{@code ...}</pre> example");
      } else {
        result.add(null);
      }
    }
    return result;
  }
}
