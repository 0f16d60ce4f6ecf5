package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 12,000 seeded malformed attribute tables (byte flips, truncations, inserted separators, quotes,
 * NULs, invalid UTF-8, duplicated lines, changed values): reading each either succeeds with a table
 * whose every row has a -1/1 value per attribute, or fails with the project's BadInputException,
 * never any other exception.
 */
class AttributeCsvFuzzTest {
  @TempDir Path dir;

  @Test
  void malformedTablesFailOnlyWithClearErrors() throws Exception {
    String base = "image_id,Blond_Hair,Smiling,Young\n" + "000001.jpg,1,-1,1\n000002.jpg,-1,1,-1\n000003.jpg,-1,-1,1\n"
        + "000004.jpg,1,1,1\n";
    byte[] good = base.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(20261122);
    byte[] alphabet = ",\n\r-1 0\"\uFEFFx.\t".getBytes(StandardCharsets.UTF_8);
    io.jgan.Fuzzing.Counts counts = io.jgan.Fuzzing.run(12_000, dir.resolve("attrs.csv"), i -> mutate(good, random, alphabet),
        file -> {
          // Whatever parsed must be a consistent table: every attribute named.
          for (String attribute : AttributeCsv.read(file).attributes()) {
            assertTrue(!attribute.isEmpty());
          }
        });
    int ok = counts.accepted(), rejected = counts.rejected();
    assertTrue(rejected > 6_000, "most mutations are malformed, " + rejected + " rejected");
    assertTrue(ok > 100, "some mutations stay valid, " + ok + " accepted");
  }

  private static byte[] mutate(byte[] good, Random random, byte[] alphabet) {
    byte[] b = good.clone();
    switch (random.nextInt(7)) {
      case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> b = io.jgan.Fuzzing.insert(b, random.nextInt(b.length), new byte[] {alphabet[random.nextInt(alphabet.length)]});
      case 3 -> b[random.nextInt(b.length)] = alphabet[random.nextInt(alphabet.length)];
      case 4 -> {
        String s = new String(b, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(List.of(s.split("\n", -1)));
        int k = random.nextInt(lines.size());
        lines.add(k, lines.get(random.nextInt(lines.size())));
        b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> {
        for (int n = 0; n < 5; n++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      default -> b = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) random.nextInt(256)};
    }
    return b;
  }
}
