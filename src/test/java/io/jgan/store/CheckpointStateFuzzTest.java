package io.jgan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgan.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 12,000 seeded malformed {@code checkpoint} state files (byte flips, truncations, inserted quotes,
 * colons, escapes, path separators and {@code ..}, invalid UTF-8, duplicated and unknown fields),
 * read the way the trainer reads them: each either parses into names that all stay inside the
 * checkpoint directory, or fails with the project's BadInputException naming the file.
 */
class CheckpointStateFuzzTest {
  @TempDir Path dir;

  @Test
  void malformedStateFilesFailOnlyWithClearErrors() throws Exception {
    String base = new CheckpointState("ckpt-3", List.of("ckpt-2", "ckpt-3"), List.of(1795345514.84, 1795345600.12),
        1795345400.0).toText();
    byte[] good = base.getBytes(StandardCharsets.UTF_8);
    byte[] alphabet = "\"':\\/.\n #-0e\0".getBytes(StandardCharsets.UTF_8);
    String[] fragments = {"../", "/etc/", "\\\"", "\\x", "..", "model_checkpoint_path: \"a\"\n", "nan", "1e999",
        "all_model_checkpoint_paths: '../x'\n", "unknown_field: 1\n", "\r\n", "\uFEFF"};
    Random random = new Random(1122);
    CheckpointManager manager = new CheckpointManager(dir, 0);
    Path file = manager.stateFile();
    Path absolute = dir.toAbsolutePath().normalize();
    int ok = 0, rejected = 0;
    for (int i = 0; i < 12_000; i++) {
      byte[] input = mutate(good, random, alphabet, fragments);
      Files.write(file, input);
      try {
        CheckpointState state = manager.state().orElseThrow();
        List<String> names = new ArrayList<>(state.all());
        names.add(state.latest());
        for (String name : names) {
          assertEquals(absolute, absolute.resolve(name).normalize().getParent(), "input " + i + ": " + name + " leaves " + dir);
        }
        assertTrue(state.all().contains(state.latest()));
        ok++;
      } catch (BadInputException e) {
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        rejected++;
      } catch (RuntimeException | Error e) {
        fail("input " + i + " (" + new String(input, StandardCharsets.ISO_8859_1).replace("\n", "\\n") + ") threw " + e, e);
      }
    }
    assertEquals(12_000, ok + rejected);
    assertTrue(rejected > 5_000, "most mutations are malformed, " + rejected + " rejected");
    assertTrue(ok > 500, "some mutations stay valid, " + ok + " accepted");
  }

  private static byte[] mutate(byte[] good, Random random, byte[] alphabet, String[] fragments) {
    byte[] b = good.clone();
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds && b.length > 0; r++) {
      switch (random.nextInt(7)) {
        case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
        case 2 -> b = insert(b, random.nextInt(b.length + 1), new byte[] {alphabet[random.nextInt(alphabet.length)]});
        case 3 -> b[random.nextInt(b.length)] = alphabet[random.nextInt(alphabet.length)];
        case 4 -> b = insert(b, random.nextInt(b.length + 1),
            fragments[random.nextInt(fragments.length)].getBytes(StandardCharsets.UTF_8));
        case 5 -> {
          String s = new String(b, StandardCharsets.UTF_8);
          List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
          lines.add(random.nextInt(lines.size()), lines.get(random.nextInt(lines.size())));
          b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        }
        default -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }
}
