package io.jgan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.Fuzzing;
import java.nio.charset.StandardCharsets;
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
    Path absolute = dir.toAbsolutePath().normalize();
    Fuzzing.Counts counts = Fuzzing.run(12_000, manager.stateFile(), i -> mutate(good, random, alphabet, fragments), file -> {
      CheckpointState state = manager.state().orElseThrow();
      List<String> names = new ArrayList<>(state.all());
      names.add(state.latest());
      for (String name : names) {
        assertEquals(absolute, absolute.resolve(name).normalize().getParent(), name + " leaves " + dir);
      }
      assertTrue(state.all().contains(state.latest()));
    });
    int ok = counts.accepted(), rejected = counts.rejected();
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
        case 2 -> b = Fuzzing.insert(b, random.nextInt(b.length + 1), new byte[] {alphabet[random.nextInt(alphabet.length)]});
        case 3 -> b[random.nextInt(b.length)] = alphabet[random.nextInt(alphabet.length)];
        case 4 -> b = Fuzzing.insert(b, random.nextInt(b.length + 1),
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
}
