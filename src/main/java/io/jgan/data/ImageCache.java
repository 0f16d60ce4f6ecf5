package io.jgan.data;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Image folders decoded once into an uncompressed uint8 file and read back memory-mapped, as
 * {@code tf.data.Dataset.cache(filename)} keeps a decoded dataset on disk: a folder of any size
 * that fits on the disk trains with only the current batches in memory, and a second run of the
 * same folder starts without decoding.
 *
 * <p><b>Key.</b> One cache file per folder (by its real path, so a symbolic link and its target
 * share it) and target shape: {@code DIR/<folder>-<h>x<w>x<c>-<hash of the path>.images}. Its
 * header holds a SHA-256 of the image files' relative paths, sizes and modification times, the
 * target shape and {@link #DECODER_VERSION}; a file added, removed, replaced or touched changes it
 * and the folder is decoded again into the same file name.
 *
 * <p><b>Integrity.</b> The file is written to a temporary name, synced and renamed into place
 * ({@link AtomicFiles}), so a kill or a full disk never leaves a half-written cache under the final
 * name. The header carries the counts, the lengths of each section and CRC32C checksums of the
 * header, the pixels and the list of bad files; a cache whose length, header or checksums do not
 * match (truncated, a flipped byte) is reported and rebuilt. Checking reads the file through the
 * channel, not the mappings, so it adds nothing to the process's resident memory.
 *
 * <p><b>Layout.</b> A 4096-byte header (magic {@code JGANIMG1}, format and decoder versions,
 * height, width, channels, files listed, good images, bad files, data offset and length, metadata
 * length, CRC32C of data and metadata, the 32-byte key, CRC32C of the preceding header bytes),
 * then {@code count * h * w * c} pixel bytes (image {@code i} at {@code 4096 + i * h * w * c}),
 * then for each bad file its index in the listing and the reason (int, int length, UTF-8).
 *
 * <p><b>Room.</b> Before decoding, the space the cache needs is compared with what the disk has
 * free; a disk too small, or one that fills while the cache is written, is a
 * {@link BadInputException} naming the folder, the size needed and the space available.
 *
 * <p>Processes share a cache directory safely: building and checking hold an OS lock on
 * {@code DIR/.lock}; a second trainer on the same folder waits, then reads what the first wrote.
 *
 * <pre>{@code
 * ImageFolder.Loaded loaded = new ImageCache(Path.of("data/.cache")).load(Path.of("data/celeba"), 64, 64, 3, 4);
 * Images faces = loaded.images();   // MappedImages over the cache file
 * }</pre>
 */
public final class ImageCache {
  /** Bumped whenever decoding, channel conversion or resizing changes what a file decodes to. */
  public static final int DECODER_VERSION = 1;
  static final int FORMAT_VERSION = 1;
  static final String SUFFIX = ".images";
  static final String LOCK_FILE = ".lock";
  static final byte[] MAGIC = "JGANIMG1".getBytes(StandardCharsets.US_ASCII);
  /** The pixels start here: one page, so every mapping starts page-aligned. */
  static final int HEADER_BYTES = 4096;
  /** Bytes of the header covered by its own checksum: every field before that checksum. */
  static final int HEADER_FIELDS = 104;
  private static final int IO_BUFFER = 1 << 20;
  private static final int LOG_INTERVAL_MILLIS = 15_000;
  /** Folders from this many images on return the heap their decoding grew (see {@link #build}). */
  private static final int RETURN_HEAP_AFTER = 10_000;

  /** Free bytes on the file system of a directory; a parameter so tests can simulate a small disk. */
  @FunctionalInterface
  public interface FreeSpace {
    long usableBytes(Path dir) throws IOException;
  }

  private final Path dir;
  private final FreeSpace freeSpace;
  private final long chunkBytes;
  private final long residentBytes;
  private final PrintStream log;
  private final boolean interactive;

  /** A cache in {@code dir} (created when first needed), quiet, with the disk's real free space. */
  public ImageCache(Path dir) {
    this(dir, d -> Files.getFileStore(d).getUsableSpace(), ChunkedMapping.DEFAULT_CHUNK_BYTES,
        ChunkedMapping.DEFAULT_RESIDENT_BYTES, null, false);
  }

  private ImageCache(Path dir, FreeSpace freeSpace, long chunkBytes, long residentBytes, PrintStream log,
      boolean interactive) {
    this.dir = dir;
    this.freeSpace = freeSpace;
    this.chunkBytes = chunkBytes;
    this.residentBytes = residentBytes;
    this.log = log;
    this.interactive = interactive;
  }

  /** Reports decoding progress (a bar with count and rate) and cache use on {@code log}. */
  public ImageCache withLog(PrintStream log, boolean interactive) {
    return new ImageCache(dir, freeSpace, chunkBytes, residentBytes, log, interactive);
  }

  /** Uses {@code freeSpace} instead of asking the file system, e.g. to simulate a small disk. */
  public ImageCache withFreeSpace(FreeSpace freeSpace) {
    return new ImageCache(dir, freeSpace, chunkBytes, residentBytes, log, interactive);
  }

  /** Maps the pixels in pieces of {@code chunkBytes} (default 1 GiB; at most 2^31 - 1). */
  public ImageCache withChunkBytes(long chunkBytes) {
    return new ImageCache(dir, freeSpace, chunkBytes, residentBytes, log, interactive);
  }

  /**
   * Unmaps the pixels after every {@code residentBytes} read (default 256 MiB), which bounds how
   * much of the cache counts as the process's resident memory; Long.MAX_VALUE never unmaps.
   */
  public ImageCache withResidentBytes(long residentBytes) {
    return new ImageCache(dir, freeSpace, chunkBytes, residentBytes, log, interactive);
  }

  /** The cache file of {@code root} at a shape: one per folder (real path) and shape. */
  public Path fileFor(Path root, int height, int width, int channels) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      real = root.toAbsolutePath().normalize();
    }
    String folder = real.getFileName() == null ? "root" : real.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    if (folder.length() > 40) {
      folder = folder.substring(0, 40);
    }
    String hash = HexFormat.of().formatHex(sha256(real.toString().getBytes(StandardCharsets.UTF_8)), 0, 6);
    return dir.resolve(folder + "-" + height + "x" + width + "x" + channels + "-" + hash + SUFFIX);
  }

  /**
   * The images of {@code root} at {@code height x width x channels}: from the cache when it holds
   * this folder as it is now, otherwise decoded on {@code threads} threads into the cache first.
   *
   * @throws BadInputException for a folder without usable images, or a cache that cannot be written
   */
  public ImageFolder.Loaded load(Path root, int height, int width, int channels, int threads) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("expected 1 or 3 channels, got " + channels);
    }
    ImageFolder.Listing listing = ImageFolder.list(root);
    if (listing.count() == 0) {
      throw new BadInputException(root + ": expected image files (" + String.join(" ", ImageFolder.EXTENSIONS)
          + "), found none" + (listing.ignored() > 0 ? " (" + listing.ignored() + " other files)" : ""));
    }
    byte[] key = key(listing, height, width, channels);
    Path file = fileFor(root, height, width, channels);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot create the folder for decoded images of " + root + ": " + e
          + " (give --cache-dir DIR elsewhere)", e);
    }
    synchronized (ImageCache.class) { // one JVM: FileChannel locks are per process
      return loadLocked(listing, file, key, height, width, channels, threads);
    }
  }

  private ImageFolder.Loaded loadLocked(ImageFolder.Listing listing, Path file, byte[] key, int height, int width,
      int channels, int threads) {
    Path root = listing.root();
    try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
             StandardOpenOption.WRITE);
         FileLock lock = lockWaitingVisibly(lockChannel)) {
      removeStaleTemporaries(file);
      long started = System.nanoTime();
      Cached cached;
      int decoded = 0;
      try {
        cached = check(file, key, listing.count(), height, width, channels);
        note(String.format(Locale.ROOT, "Reading %,d decoded images of %s from %s (%s, checked in %.1f s)",
            cached.header().count(), root, file, size(Files.size(file)), (System.nanoTime() - started) / 1e9));
      } catch (Unusable why) {
        if (Files.exists(file)) {
          note(file + ": " + why.getMessage() + "; decoding " + root + " again");
          Files.delete(file); // useless now, and its room may be needed for the new one
        }
        cached = build(listing, file, key, height, width, channels, threads);
        decoded = listing.count();
      }
      return open(listing, file, cached, decoded);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot use the decoded-image cache of " + root + ": " + e
          + " (give --cache-dir DIR elsewhere)", e);
    }
  }

  private FileLock lockWaitingVisibly(FileChannel channel) throws IOException {
    FileLock lock = channel.tryLock();
    if (lock == null) {
      note("Waiting for another process using the image cache in " + dir + " ...");
      lock = channel.lock();
    }
    return lock;
  }

  /** Temporaries of this cache file left by a process killed while writing it (we hold the lock). */
  private void removeStaleTemporaries(Path file) throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + file.getFileName() + "-*")) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- the key --------------------------------------------------------------------------------

  /** SHA-256 of the format, decoder, shape and every image file's relative path, size and mtime. */
  static byte[] key(ImageFolder.Listing listing, int height, int width, int channels) {
    MessageDigest sha = sha256();
    ByteBuffer b = ByteBuffer.allocate(24);
    b.putInt(FORMAT_VERSION).putInt(DECODER_VERSION).putInt(height).putInt(width).putInt(channels)
        .putInt(listing.count());
    sha.update(b.array());
    for (int i = 0; i < listing.count(); i++) {
      sha.update(listing.root().relativize(listing.files().get(i)).toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      b.clear();
      b.putLong(listing.sizes()[i]).putLong(listing.modified()[i]);
      sha.update(b.array(), 0, 16);
    }
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  // ---- the header -----------------------------------------------------------------------------

  /** What a cache file's header says. */
  record Header(int height, int width, int channels, int listed, int count, int badCount, long dataLength,
      long metaLength, int dataCrc, int metaCrc, byte[] key) {

    ByteBuffer encode() {
      ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
      b.put(MAGIC).putInt(FORMAT_VERSION).putInt(DECODER_VERSION).putInt(height).putInt(width).putInt(channels)
          .putInt(listed).putInt(count).putInt(badCount).putLong(HEADER_BYTES).putLong(dataLength).putLong(metaLength)
          .putInt(dataCrc).putInt(metaCrc).put(key);
      if (b.position() != HEADER_FIELDS) {
        throw new IllegalStateException("header fields take " + b.position() + " bytes, expected " + HEADER_FIELDS);
      }
      b.putInt(crc(b.array(), 0, HEADER_FIELDS));
      b.clear();
      return b;
    }
  }

  /** A file of the listing that could not be decoded: its index in the listing, and why. */
  record BadEntry(int index, String reason) {}

  /** A complete, verified cache file. */
  record Cached(Header header, List<BadEntry> bad) {}

  /** Why a cache file cannot be used (it is then decoded again). */
  static final class Unusable extends Exception {
    Unusable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A cache file that holds exactly this listing at this shape, its header, length and checksums
   * verified; throws {@link Unusable} saying why not (missing, stale, truncated, damaged).
   */
  static Cached check(Path file, byte[] key, int listed, int height, int width, int channels)
      throws Unusable, IOException {
    if (!Files.exists(file)) {
      throw new Unusable("no cache yet");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < HEADER_BYTES) {
        throw new Unusable("damaged cache: expected at least a " + HEADER_BYTES + "-byte header, got " + size + " bytes");
      }
      ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
      readFully(ch, b, 0);
      b.flip();
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new Unusable("damaged cache: expected the magic bytes " + new String(MAGIC, StandardCharsets.US_ASCII)
            + ", got " + HexFormat.of().formatHex(magic));
      }
      int storedHeaderCrc = b.getInt(HEADER_FIELDS);
      int headerCrc = crc(b.array(), 0, HEADER_FIELDS);
      if (storedHeaderCrc != headerCrc) {
        throw new Unusable("damaged cache: header checksum " + hex(headerCrc) + ", expected " + hex(storedHeaderCrc));
      }
      int format = b.getInt();
      int decoder = b.getInt();
      if (format != FORMAT_VERSION || decoder != DECODER_VERSION) {
        throw new Unusable("written by another version (format " + format + ", decoder " + decoder
            + "; this one writes " + FORMAT_VERSION + ", " + DECODER_VERSION + ")");
      }
      int h = b.getInt(), w = b.getInt(), c = b.getInt(), fileListed = b.getInt(), count = b.getInt(),
          badCount = b.getInt();
      long dataOffset = b.getLong(), dataLength = b.getLong(), metaLength = b.getLong();
      int dataCrc = b.getInt(), metaCrc = b.getInt();
      byte[] fileKey = new byte[32];
      b.get(fileKey);
      if (h != height || w != width || c != channels || !Arrays.equals(fileKey, key)) {
        throw new Unusable("made from the folder as it was before (image files added, removed, replaced or touched"
            + " since)");
      }
      long expectedData = (long) count * height * width * channels;
      if (fileListed != listed || count < 0 || badCount < 0 || count + badCount != listed || dataOffset != HEADER_BYTES
          || dataLength != expectedData || metaLength < 0 || metaLength > Integer.MAX_VALUE) {
        throw new Unusable("damaged cache: inconsistent counts in the header (" + fileListed + " files, " + count
            + " images, " + badCount + " bad, " + dataLength + " pixel bytes)");
      }
      long expectedSize = HEADER_BYTES + dataLength + metaLength;
      if (size != expectedSize) {
        throw new Unusable("damaged cache: expected " + expectedSize + " bytes, got " + size
            + (size < expectedSize ? " (truncated)" : ""));
      }
      int actualDataCrc = crc(ch, HEADER_BYTES, dataLength);
      if (actualDataCrc != dataCrc) {
        throw new Unusable("damaged cache: pixel checksum " + hex(actualDataCrc) + ", expected " + hex(dataCrc));
      }
      ByteBuffer meta = ByteBuffer.allocate((int) metaLength);
      readFully(ch, meta, HEADER_BYTES + dataLength);
      if (crc(meta.array(), 0, meta.capacity()) != metaCrc) {
        throw new Unusable("damaged cache: checksum of the bad-file list does not match");
      }
      meta.flip();
      List<BadEntry> bad = decodeMeta(meta, badCount, listed);
      return new Cached(new Header(h, w, c, fileListed, count, badCount, dataLength, metaLength, dataCrc, metaCrc,
          fileKey), bad);
    }
  }

  private static byte[] encodeMeta(List<BadEntry> bad) {
    List<byte[]> reasons = new ArrayList<>();
    int length = 0;
    for (BadEntry e : bad) {
      byte[] r = e.reason().getBytes(StandardCharsets.UTF_8);
      reasons.add(r);
      length += 8 + r.length;
    }
    ByteBuffer b = ByteBuffer.allocate(length);
    for (int i = 0; i < bad.size(); i++) {
      b.putInt(bad.get(i).index()).putInt(reasons.get(i).length).put(reasons.get(i));
    }
    return b.array();
  }

  private static List<BadEntry> decodeMeta(ByteBuffer b, int badCount, int listed) throws Unusable {
    List<BadEntry> bad = new ArrayList<>(badCount);
    int previous = -1;
    for (int i = 0; i < badCount; i++) {
      if (b.remaining() < 8) {
        throw new Unusable("damaged cache: the bad-file list ends early");
      }
      int index = b.getInt();
      int length = b.getInt();
      if (index <= previous || index >= listed || length < 0 || length > b.remaining()) {
        throw new Unusable("damaged cache: bad-file entry " + i + " is out of range");
      }
      byte[] reason = new byte[length];
      b.get(reason);
      bad.add(new BadEntry(index, new String(reason, StandardCharsets.UTF_8)));
      previous = index;
    }
    if (b.hasRemaining()) {
      throw new Unusable("damaged cache: " + b.remaining() + " bytes after the bad-file list");
    }
    return bad;
  }

  // ---- building -------------------------------------------------------------------------------

  /** Decodes every file of the listing into the cache file (temporary name, synced, renamed). */
  private Cached build(ImageFolder.Listing listing, Path file, byte[] key, int height, int width, int channels,
      int threads) throws IOException {
    Path root = listing.root();
    int imageSize = height * width * channels;
    long needed = HEADER_BYTES + (long) listing.count() * imageSize;
    long free = freeSpace.usableBytes(dir);
    String what = String.format(Locale.ROOT, "its %,d images decoded at %dx%dx%d", listing.count(), height, width,
        channels);
    if (needed > free) {
      throw new BadInputException(root + ": " + what + " need " + exactSize(needed) + " of cache in " + dir + ", but only "
          + exactSize(free) + " is free there; free some space, or give --cache-dir DIR on a disk with room");
    }
    note(String.format(Locale.ROOT, "Decoding %,d images of %s at %dx%dx%d on %d threads into %s (%s)", listing.count(),
        root, height, width, channels, threads, file, size(needed)));
    List<BadEntry> bad = new ArrayList<>();
    Header[] written = new Header[1];
    long started = System.nanoTime();
    try (ProgressBar bar = progressBar(listing.count())) {
      AtomicFiles.write(file, temp -> {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          ByteBuffer out = ByteBuffer.allocateDirect(IO_BUFFER);
          CRC32C dataCrc = new CRC32C();
          int[] good = new int[1];
          ch.position(HEADER_BYTES);
          ImageFolder.decodeInOrder(listing.files(), height, width, channels, threads, (index, pixels, reason) -> {
            if (pixels != null) {
              dataCrc.update(pixels);
              append(ch, out, pixels);
              good[0]++;
            } else {
              bad.add(new BadEntry(index, reason));
            }
            if (bar != null) {
              bar.step();
            }
          });
          out.flip();
          writeFully(ch, out, ch.position());
          long dataLength = (long) good[0] * imageSize;
          byte[] meta = encodeMeta(bad);
          writeFully(ch, ByteBuffer.wrap(meta), HEADER_BYTES + dataLength);
          Header header = new Header(height, width, channels, listing.count(), good[0], bad.size(), dataLength,
              meta.length, (int) dataCrc.getValue(), crc(meta, 0, meta.length), key);
          writeFully(ch, header.encode(), 0); // last: a file with a valid header was written to the end
          written[0] = header;
        }
      });
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      if (diskFull(cause)) {
        long now = freeSpaceOrMinusOne();
        throw new BadInputException(root + ": the disk filled while caching " + what + " in " + dir + " (" + reason
            + "): the cache needs " + exactSize(needed) + ", " + exactSize(free) + " was free when caching started"
            + (now >= 0 ? " and " + exactSize(now) + " is free now" : "") + "; nothing was kept. Free some space, or give"
            + " --cache-dir DIR on a disk with room", cause);
      }
      throw new BadInputException(root + ": cannot write its decoded-image cache " + file + ": " + reason
          + "; nothing was kept (give --cache-dir DIR elsewhere)", cause);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (listing.count() >= RETURN_HEAP_AFTER) {
      // Decoding allocates ~100 kB of short-lived objects per image (ImageIO readers, rasters), and
      // G1 grows the heap to keep up: 1.2 GB committed for 60 MB live on a CelebA-sized folder. A
      // full collection hands it back to the OS (G1 shrinks after a full GC) before TensorFlow
      // allocates the training's memory, instead of both counting at once.
      System.gc();
    }
    note(String.format(Locale.ROOT, "Decoded %,d images in %.1f s (%,.0f images/s)%s; cached in %s (%s)",
        listing.count(), seconds, listing.count() / seconds, bad.isEmpty() ? "" : ", " + bad.size() + " bad",
        file, size(Files.size(file))));
    return new Cached(written[0], List.copyOf(bad));
  }

  private static void append(FileChannel ch, ByteBuffer out, byte[] pixels) throws IOException {
    int at = 0;
    while (at < pixels.length) {
      int n = Math.min(out.remaining(), pixels.length - at);
      out.put(pixels, at, n);
      at += n;
      if (!out.hasRemaining()) {
        out.flip();
        writeFully(ch, out, ch.position());
        out.clear();
      }
    }
  }

  /** ENOSPC or EDQUOT, as the JDK words them on Linux. */
  static boolean diskFull(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left on device") || m.contains("Disk quota exceeded");
  }

  private long freeSpaceOrMinusOne() {
    try {
      return freeSpace.usableBytes(dir);
    } catch (IOException e) {
      return -1;
    }
  }

  private ProgressBar progressBar(int total) {
    if (log == null) {
      return null;
    }
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName("Decoding")
        .setInitialMax(total)
        .setUnit(" images", 1)
        .showSpeed(new DecimalFormat("#,##0"))
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setStyle(ProgressBarStyle.ASCII)
        .setMaxRenderedLength(120);
    if (interactive) {
      builder.setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(log));
    } else {
      builder.setUpdateIntervalMillis(LOG_INTERVAL_MILLIS).setConsumer(new DelegatingProgressBarConsumer(log::println, 160));
    }
    return builder.build();
  }

  /** The images of a verified cache file, mapped, with the files they came from and the bad ones. */
  private ImageFolder.Loaded open(ImageFolder.Listing listing, Path file, Cached cached, int decoded) throws IOException {
    Header h = cached.header();
    List<ImageFolder.BadImage> bad = new ArrayList<>();
    boolean[] isBad = new boolean[listing.count()];
    for (BadEntry e : cached.bad()) {
      isBad[e.index()] = true;
      bad.add(new ImageFolder.BadImage(listing.files().get(e.index()), e.reason()));
    }
    List<Path> good = new ArrayList<>(h.count());
    for (int i = 0; i < listing.count(); i++) {
      if (!isBad[i]) {
        good.add(listing.files().get(i));
      }
    }
    Path root = listing.root();
    if (good.isEmpty()) {
      throw new BadInputException(root + ": expected decodable images, but none of the " + listing.count()
          + " image files could be read; first: " + bad.get(0));
    }
    String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
    ChunkedMapping pixels = new ChunkedMapping(file, HEADER_BYTES, h.dataLength(), chunkBytes, residentBytes);
    return new ImageFolder.Loaded(new MappedImages(name, h.count(), h.height(), h.width(), h.channels(), pixels, null, 0),
        List.copyOf(good), List.copyOf(bad), listing.ignored(), decoded);
  }

  // ---- small helpers --------------------------------------------------------------------------

  private void note(String line) {
    if (log != null) {
      log.println(line);
    }
  }

  static int crc(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }

  private static String hex(int value) {
    return String.format(Locale.ROOT, "%08x", value);
  }

  /** CRC32C of {@code length} bytes from {@code position}, read through the channel (not mapped). */
  private static int crc(FileChannel ch, long position, long length) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer b = ByteBuffer.allocateDirect(IO_BUFFER * 8);
    long p = position;
    long end = position + length;
    while (p < end) {
      b.clear();
      b.limit((int) Math.min(b.capacity(), end - p));
      readFully(ch, b, p);
      b.flip();
      p += b.remaining();
      crc.update(b);
    }
    return (int) crc.getValue();
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
    ch.position(p);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + p);
      }
      p += n;
    }
  }

  /** "2.49 GB". */
  static String size(long bytes) {
    return bytes >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
        : bytes >= 1_000_000L ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
  }

  /** "2.49 GB (2,489,049,088 bytes)", for messages about room on a disk. */
  static String exactSize(long bytes) {
    return size(bytes) + String.format(Locale.ROOT, " (%,d bytes)", bytes);
  }
}
