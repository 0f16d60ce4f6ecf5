package io.jgan.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A region of a file of any length, read through several memory mappings of at most
 * {@code chunkBytes} each (a {@link MappedByteBuffer} is indexed by int, so one mapping cannot
 * exceed 2 GiB), as Lucene's {@code MMapDirectory} reads large index files. A read that crosses a
 * chunk boundary is split across the chunks.
 *
 * <p>Pages of a file mapping that a process has touched count in its resident memory (RSS) for as
 * long as they stay mapped, even though they are page cache the kernel can drop. Reading every
 * image of a 2.5 GB cache once per epoch would so add 2.5 GB to the trainer's RSS. To bound that,
 * the chunks are unmapped after every {@code residentBytes} bytes read (each read charged at least
 * {@link #MAPPED_PER_READ_BYTES}) and mapped again on the next read: the data stays in the page cache
 * (a re-read is a minor fault, not disk I/O), but no more than about {@code residentBytes} of it
 * counts as the process's memory. Unmapping needs
 * {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, present in every JDK 17); where
 * it is missing, the mappings simply stay.
 *
 * <p>Thread-safe: reads and unmapping are serialized, so no mapping is released while it is read.
 */
final class ChunkedMapping implements AutoCloseable {
  /** 1 GiB: well below the 2 GiB limit of one mapping, few mappings for any dataset. */
  static final long DEFAULT_CHUNK_BYTES = 1L << 30;
  /** Bytes read between unmappings: about the most mapped data that counts as resident memory. */
  static final long DEFAULT_RESIDENT_BYTES = 256L << 20;
  /**
   * What a read is charged at least: a page fault maps more than the pages read. Linux maps the
   * cached pages around a fault ({@code fault_around_bytes}, 64 KiB) and, where the page cache holds
   * large folios (ext4 and XFS on recent kernels, with read-ahead windows of megabytes), the whole
   * folio, up to 2 MiB on x86-64. Measured on a 6.18 kernel reading a 2.49 GB cache in random
   * order: 64 KiB per read let 1.28 GB of mapped file stay resident between releases of 256 MiB.
   */
  static final int MAPPED_PER_READ_BYTES = 2 << 20;

  private static final Unmapper UNMAPPER = Unmapper.find();

  private final Path file;
  private final FileChannel channel;
  private final long offset;
  private final long length;
  private final long chunkBytes;
  private final long residentBytes;
  private final MappedByteBuffer[] chunks;
  private long readSinceRelease;
  private int releases;

  /**
   * Maps {@code length} bytes of {@code file} from {@code offset}, lazily, chunk by chunk.
   *
   * @param chunkBytes bytes per mapping, in [1, Integer.MAX_VALUE]
   * @param residentBytes bytes read between unmappings; Long.MAX_VALUE keeps the mappings
   */
  ChunkedMapping(Path file, long offset, long length, long chunkBytes, long residentBytes) throws IOException {
    if (chunkBytes < 1 || chunkBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("expected a chunk size in [1, " + Integer.MAX_VALUE + "], got " + chunkBytes);
    }
    if (offset < 0 || length < 0 || residentBytes < 1) {
      throw new IllegalArgumentException("expected offset >= 0, length >= 0 and residentBytes > 0, got " + offset + ", "
          + length + ", " + residentBytes);
    }
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    if (channel.size() < offset + length) {
      long size = channel.size();
      channel.close();
      throw new IOException(file + ": expected at least " + (offset + length) + " bytes, got " + size);
    }
    this.offset = offset;
    this.length = length;
    this.chunkBytes = chunkBytes;
    this.residentBytes = residentBytes;
    long count = (length + chunkBytes - 1) / chunkBytes;
    if (count > Integer.MAX_VALUE) {
      channel.close();
      throw new IllegalArgumentException("expected at most " + Integer.MAX_VALUE + " chunks, got " + count);
    }
    this.chunks = new MappedByteBuffer[(int) count];
  }

  long length() {
    return length;
  }

  /** Number of mappings the region is split into. */
  int chunkCount() {
    return chunks.length;
  }

  /** How many times the mappings were released to bound resident memory. */
  synchronized int releases() {
    return releases;
  }

  /** Copies {@code count} bytes at {@code position} (relative to the region) into {@code dst[at..]}. */
  synchronized void read(long position, byte[] dst, int at, int count) {
    if (position < 0 || count < 0 || position > length - count) {
      throw new IndexOutOfBoundsException("expected a range within [0, " + length + "), got " + count + " bytes at "
          + position);
    }
    long charged = Math.max(count, MAPPED_PER_READ_BYTES);
    if (readSinceRelease > residentBytes - charged) {
      releaseAll();
    }
    readSinceRelease += charged;
    long p = position;
    int done = 0;
    while (done < count) {
      int index = (int) (p / chunkBytes);
      int within = (int) (p - index * chunkBytes);
      MappedByteBuffer chunk = chunk(index);
      int n = Math.min(count - done, chunk.capacity() - within);
      chunk.get(within, dst, at + done, n);
      done += n;
      p += n;
    }
  }

  private MappedByteBuffer chunk(int index) {
    MappedByteBuffer chunk = chunks[index];
    if (chunk == null) {
      long start = index * chunkBytes;
      long size = Math.min(chunkBytes, length - start);
      try {
        chunk = channel.map(FileChannel.MapMode.READ_ONLY, offset + start, size);
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": cannot map bytes " + (offset + start) + " to " + (offset + start + size)
            + ": " + e.getMessage(), e);
      }
      chunks[index] = chunk;
    }
    return chunk;
  }

  /** Unmaps every chunk (they are mapped again when read). */
  private void releaseAll() {
    if (UNMAPPER == null) {
      return; // cannot unmap: keep the mappings rather than leave them to the garbage collector
    }
    for (int i = 0; i < chunks.length; i++) {
      if (chunks[i] != null) {
        UNMAPPER.unmap(chunks[i]);
        chunks[i] = null;
      }
    }
    readSinceRelease = 0;
    releases++;
  }

  @Override
  public synchronized void close() {
    releaseAll();
    try {
      channel.close();
    } catch (IOException e) {
      // a read-only channel: nothing to lose
    }
  }

  /** {@code sun.misc.Unsafe.invokeCleaner}, found reflectively so that a JDK without it still works. */
  private record Unmapper(Object unsafe, Method invokeCleaner) {
    static Unmapper find() {
      try {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return new Unmapper(field.get(null), type.getMethod("invokeCleaner", ByteBuffer.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    void unmap(MappedByteBuffer buffer) {
      try {
        invokeCleaner.invoke(unsafe, buffer);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot unmap a chunk: " + e, e);
      }
    }
  }
}
