package io.jgan.viz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads TensorBoard event files for tests, independently of the code that writes them: TFRecord
 * framing around serialized {@code Event} protos, each record
 * <pre>
 *   uint64 length, uint32 masked CRC32C of those 8 bytes, byte data[length], uint32 masked CRC32C of data
 * </pre>
 * all little-endian, where TFRecord's mask of a CRC32C value {@code crc} is
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8} (tensorflow/core/lib/hash/crc32c.h). Both CRCs
 * are checked, and a file must end exactly after a record: a wrong CRC or a cut record is an error
 * naming the file and the record's offset.
 */
public final class EventFiles {
  /** TFRecord's mask delta (crc32c.h, {@code kMaskDelta}). */
  static final int MASK_DELTA = 0xa282ead8;

  private EventFiles() {}

  /** Every event of every {@code events.out.tfevents.*} file under {@code dir}, in file order. */
  public static List<Event> read(Path dir) throws IOException {
    List<Event> events = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
    }
    for (Path f : files) {
      for (byte[] record : records(f)) {
        events.add(Event.parseFrom(record));
      }
    }
    return events;
  }

  /** The records of one TFRecord file, both CRCs of each checked. */
  static List<byte[]> records(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> records = new ArrayList<>();
    while (b.hasRemaining()) {
      int at = b.position();
      if (b.remaining() < 12) {
        throw new IOException(file + " at byte " + at + ": expected a record header of 12 bytes, got " + b.remaining());
      }
      long length = b.getLong();
      int lengthCrc = b.getInt();
      int expected = masked(b.array(), at, 8);
      if (lengthCrc != expected) {
        throw new IOException(file + " at byte " + at + ": expected the length's masked CRC32C "
            + Integer.toHexString(expected) + ", got " + Integer.toHexString(lengthCrc));
      }
      if (length < 0 || length > b.remaining() - 4) {
        throw new IOException(file + " at byte " + at + ": expected " + length + " bytes of record and 4 of CRC, got "
            + b.remaining());
      }
      byte[] record = new byte[(int) length];
      b.get(record);
      int dataCrc = b.getInt();
      expected = masked(record, 0, record.length);
      if (dataCrc != expected) {
        throw new IOException(file + " at byte " + at + ": expected the record's masked CRC32C "
            + Integer.toHexString(expected) + ", got " + Integer.toHexString(dataCrc));
      }
      records.add(record);
    }
    return records;
  }

  /** TFRecord's masked CRC32C of {@code length} bytes from {@code from}. */
  static int masked(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
