package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests' TensorBoard reader checks both CRCs of every TFRecord, as TensorFlow defines them:
 * against bytes Python TensorFlow wrote, and against the published CRC32C check value.
 */
class EventFilesTest {
  /**
   * Written by Python TensorFlow 2.18 ({@code tf.io.TFRecordWriter}, the framing of event files):
   * the record {@code b"hello"}, then an empty record.
   */
  static final byte[] PYTHON_RECORDS = HexFormat.of().parseHex(
      "0500000000000000" + "eab2043e" + "68656c6c6f" + "bb1f1c19"
      + "0000000000000000" + "29039807" + "" + "d8ea82a2");

  @TempDir Path dir;

  @Test
  void maskedCrcOfTheCheckStringIsTheHandComputedValue() {
    // CRC32C("123456789") = 0xE3069283 (the check value of CRC-32C, RFC 3720 B.4).
    // Rotated right by 15: 0x2507C60D; plus 0xA282EAD8 (mod 2^32): 0xC78AB0E5.
    assertEquals(0xC78AB0E5, EventFiles.masked("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    // The CRC32C of nothing is 0, so its mask is the delta itself (the empty record's last 4 bytes above).
    assertEquals(0xA282EAD8, EventFiles.masked(new byte[0], 0, 0));
  }

  @Test
  void readsWhatTensorFlowWrote() throws IOException {
    Path file = Files.write(dir.resolve("records"), PYTHON_RECORDS);
    List<byte[]> records = EventFiles.records(file);
    assertEquals(2, records.size());
    assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), records.get(0));
    assertArrayEquals(new byte[0], records.get(1));
  }

  /** A flipped bit in the length, either CRC or the data, and a cut file: each named with the record's offset. */
  @Test
  void aDamagedRecordIsAnErrorNamingTheFileAndOffset() throws IOException {
    // Record 1: length at 0-7, its CRC 8-11, "hello" 12-16, its CRC 17-20; record 2 (empty): 21-28, 29-32, 33-36.
    int[][] flips = {{0, 0}, {6, 7}, {8, 0}, {12, 0}, {16, 3}, {18, 5}, {21, 1}, {29, 4}, {33, 2}};
    String length = "expected the length's masked CRC32C", data = "expected the record's masked CRC32C";
    String[] expected = {"at byte 0: " + length, "at byte 0: " + length, "at byte 0: " + length, "at byte 0: " + data,
        "at byte 0: " + data, "at byte 0: " + data, "at byte 21: " + length, "at byte 21: " + length, "at byte 21: " + data};
    for (int i = 0; i < flips.length; i++) {
      byte[] damaged = PYTHON_RECORDS.clone();
      damaged[flips[i][0]] ^= (byte) (1 << flips[i][1]);
      Path file = Files.write(dir.resolve("flipped-" + i), damaged);
      IOException e = assertThrows(IOException.class, () -> EventFiles.records(file), "byte " + flips[i][0]);
      assertTrue(e.getMessage().startsWith(file + " " + expected[i]), e.getMessage());
    }
    for (int cut : new int[] {5, 20, 24, 32, 36}) {
      Path file = Files.write(dir.resolve("cut-" + cut), Arrays.copyOf(PYTHON_RECORDS, cut));
      IOException e = assertThrows(IOException.class, () -> EventFiles.records(file), "cut at " + cut);
      assertTrue(e.getMessage().startsWith(file + " at byte " + (cut < 21 ? 0 : 21) + ": expected "), e.getMessage());
    }
  }
}
