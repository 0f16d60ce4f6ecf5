package io.jgan.run;

import io.jgan.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One trainer per run directory: an exclusive OS lock ({@code fcntl}) on {@code RUN/.lock}, held
 * for as long as the trainer runs. The kernel drops the lock when the process dies, however it
 * dies ({@code kill -9} included), so a killed trainer never leaves the directory locked; the file
 * itself stays and only says who held it last.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE_NAME = ".lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code runDirectory} (created if missing), or fails at once, naming the
   * holder, when another trainer has it.
   */
  public static RunLock acquire(Path runDirectory) {
    Path file = runDirectory.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(runDirectory);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very JVM (another trainer in the same process)
      }
      if (lock == null) {
        String holder = readHolder(channel);
        channel.close();
        throw new BadInputException(runDirectory + ": expected no other trainer on this run directory, got one running"
            + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to finish, stop it, or use another --run-dir");
      }
      byte[] who = ("pid " + ProcessHandle.current().pid() + " on " + hostName() + "\n").getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(who), 0);
      channel.force(true);
      return new RunLock(file, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(file + ": cannot take the run directory's lock: " + e.getMessage(), e);
    }
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(200);
    int n = channel.read(buf, 0);
    return n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
  }

  private static String hostName() {
    String name = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
    int at = name.indexOf('@');
    return at < 0 ? "this host" : name.substring(at + 1);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  public Path file() {
    return file;
  }

  /** Releases the lock (closing the channel releases it too). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel below releases it anyway
    }
    closeQuietly(channel);
  }
}
