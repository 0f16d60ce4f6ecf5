package io.jgan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state file's text format, written and read back, and each malformed line named with its reason. */
class CheckpointStateTest {
  private static final Path FILE = Path.of("run/ckpts/checkpoint");
  private static final Path DIR = Path.of("run/ckpts");

  private static String refused(String text) {
    return assertThrows(BadInputException.class, () -> CheckpointState.parse(text, FILE, DIR)).getMessage();
  }

  @Test
  void writtenAsTensorFlowWritesItAndReadBack() {
    CheckpointState s = new CheckpointState("ckpt-3", List.of("ckpt-2", "ckpt-3"), List.of(1795345514.84, 1795345600.125), 1795345400.0);
    String text = s.toText();
    assertEquals("model_checkpoint_path: \"ckpt-3\"\n"
        + "all_model_checkpoint_paths: \"ckpt-2\"\n"
        + "all_model_checkpoint_paths: \"ckpt-3\"\n"
        + "all_model_checkpoint_timestamps: 1795345514.840000\n"
        + "all_model_checkpoint_timestamps: 1795345600.125000\n"
        + "last_preserved_timestamp: 1795345400.000000\n", text);
    assertEquals(s, CheckpointState.parse(text, FILE, DIR));
  }

  @Test
  void quotingEscapesCommentsAndOlderAbsolutePaths() {
    String text = "# written by hand\n\n  model_checkpoint_path : 'ckpt-\\'1\\\\\\t'  \r\n"
        + "all_model_checkpoint_paths: \"" + DIR.toAbsolutePath() + "/ckpt-0\"\n"
        + "all_model_checkpoint_timestamps: 2.5e3\n";
    CheckpointState s = CheckpointState.parse(text, FILE, DIR);
    assertEquals("ckpt-'1\\\t", s.latest());
    assertEquals(List.of("ckpt-0", "ckpt-'1\\\t"), s.all(), "the latest is added to the kept ones, an absolute path made relative");
    assertEquals(List.of(2500.0), s.timestamps());
    assertEquals(0.0, s.lastPreservedTimestamp());
    assertEquals("a\nb\"c", CheckpointState.parse("model_checkpoint_path: \"a\\nb\\\"c\"", FILE, DIR).latest());
    assertEquals("x", CheckpointState.parse("model_checkpoint_path: \"x\"", FILE, DIR).latest());
  }

  @Test
  void eachMalformedLineIsNamed() {
    assertEquals(FILE + ": expected a model_checkpoint_path line, found none", refused("all_model_checkpoint_paths: \"a\"\n"));
    assertEquals(FILE + " line 2: expected 'field: value', got 'no colon'", refused("\nno colon\n"));
    assertEquals(FILE + " line 1: expected one of model_checkpoint_path, all_model_checkpoint_paths, "
        + "all_model_checkpoint_timestamps, last_preserved_timestamp; got field ''", refused(": \"a\""));
    assertEquals(FILE + " line 2: expected model_checkpoint_path once, got it again",
        refused("model_checkpoint_path: \"a\"\nmodel_checkpoint_path: \"b\""));
    assertEquals(FILE + " line 1: expected a quoted string, got '\"'", refused("model_checkpoint_path: \""));
    assertEquals(FILE + " line 1: expected a quoted string, got 'a'", refused("model_checkpoint_path: a"));
    assertEquals(FILE + " line 1: expected a quoted string, got '\"a''", refused("model_checkpoint_path: \"a'"));
    assertEquals(FILE + " line 1: expected one quoted string, got '\"a\" \"b\"'", refused("model_checkpoint_path: \"a\" \"b\""));
    assertEquals(FILE + " line 1: expected an escape after '\\', got the end of the string", refused("model_checkpoint_path: \"a\\\""));
    assertEquals(FILE + " line 1: expected an escape of n, t, r, \\, \" or ', got \\x", refused("model_checkpoint_path: \"\\x\""));
    assertEquals(FILE + " line 1: expected a checkpoint name, got an empty string", refused("model_checkpoint_path: \"\""));
    assertEquals(FILE + " line 1: expected a checkpoint name, got one with a NUL character",
        refused("model_checkpoint_path: \"\0ckpt\""));
    assertEquals(FILE + " line 2: expected a number, got '1.5.2'",
        refused("model_checkpoint_path: \"a\"\nall_model_checkpoint_timestamps: 1.5.2"));
    assertEquals(FILE + " line 2: expected a finite number, got 'NaN'",
        refused("model_checkpoint_path: \"a\"\nlast_preserved_timestamp: NaN"));
    // Long and unprintable values are shortened to 60 characters and control characters shown as '?'.
    String sixty = "x".repeat(60);
    assertEquals(FILE + " line 1: expected a quoted string, got '" + sixty + "'", refused("model_checkpoint_path: " + sixty));
    assertEquals(FILE + " line 1: expected a quoted string, got '" + sixty + "...'", refused("model_checkpoint_path: " + sixty + "y"));
    assertEquals(FILE + " line 1: expected 'field: value', got 'a?b'", refused("a\u0001b"));
  }
}
