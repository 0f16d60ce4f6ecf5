package io.jgan;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A tmpfs that cannot be mounted skips the disk-full and read-only tests saying why, and fails them
 * where {@value Tmpfs#REQUIRE} asks for them (CI). Options {@code mount} refuses as any user stand
 * in for a machine without root.
 */
class TmpfsTest {
  @TempDir Path dir;

  @Test
  void anUnmountableTmpfsSkipsSayingWhyOrFailsWhenRequired() {
    Path at = dir.resolve("small");
    TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Tmpfs.mount(at, "size=not-a-size", false));
    String user = System.getProperty("user.name");
    assertTrue(skipped.getMessage().contains("skipped: cannot mount a tmpfs at " + at + " as user " + user
        + " (mounting needs root or CAP_SYS_ADMIN): mount exited with "), skipped.getMessage());
    assertTrue(skipped.getMessage().endsWith("(set JGAN_REQUIRE_TMPFS=1 to make this a failure)"), skipped.getMessage());
    AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Tmpfs.mount(at, "size=not-a-size", true));
    assertTrue(failed.getMessage().contains("JGAN_REQUIRE_TMPFS is set: the disk-full and read-only checks must run here"),
        failed.getMessage());
  }
}
