package io.jgan.viz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;

/**
 * Reads TensorBoard event files for tests, independently of the code that writes them: TFRecord
 * framing (little-endian uint64 length, uint32 length CRC, the record, uint32 record CRC) around
 * serialized {@code Event} protos.
 */
public final class EventFiles {
  private EventFiles() {}

  /** Every event of every {@code events.out.tfevents.*} file under {@code dir}, in file order. */
  public static List<Event> read(Path dir) throws IOException {
    List<Event> events = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
    }
    for (Path f : files) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
      while (b.remaining() >= 12) {
        long length = b.getLong();
        b.getInt(); // masked CRC32C of the length
        byte[] record = new byte[(int) length];
        b.get(record);
        b.getInt(); // masked CRC32C of the record
        events.add(Event.parseFrom(record));
      }
    }
    return events;
  }
}
