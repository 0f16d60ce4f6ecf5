package io.jgan.train.distributed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where TCP ports are really listened on, read from the kernel ({@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, Linux), not from what the cluster spec says: TensorFlow 2.18's gRPC
 * server binds every interface whatever host it is given, and a worker tells its user so from this
 * reading. Elsewhere (no {@code /proc}) the reading is empty and the worker says what TensorFlow is
 * known to do instead.
 *
 * <p>The files have one socket per line: {@code sl local_address rem_address st ...}, the local
 * address as hexadecimal {@code ADDRESS:PORT}, the address in 32-bit words of host byte order
 * (little-endian on x86 and Arm), state {@code 0A} for LISTEN.
 */
public final class ListeningSockets {
  private static final String LISTEN = "0A";
  private static final Path PROC = Path.of("/proc/self/net");

  private ListeningSockets() {}

  /** One listening socket: its local address and port. */
  public record Listener(InetAddress address, int port) {
    /** Whether it listens on every interface (0.0.0.0 or ::). */
    public boolean everyInterface() {
      return address.isAnyLocalAddress();
    }

    @Override
    public String toString() {
      String host = address.getHostAddress();
      return (host.contains(":") ? "[" + (everyInterface() ? "::" : host) + "]" : host) + ":" + port;
    }
  }

  /** The listeners on {@code port} in this process's network namespace; empty where /proc cannot be read. */
  public static List<Listener> on(int port) {
    List<Listener> found = new ArrayList<>();
    for (String file : new String[] {"tcp", "tcp6"}) {
      Path path = PROC.resolve(file);
      try {
        String table = Files.readString(path, StandardCharsets.US_ASCII);
        parse(table).stream().filter(l -> l.port() == port).forEach(found::add);
      } catch (IOException | RuntimeException e) {
        // not Linux, or no IPv6: the reading is what could be read
      }
    }
    return found;
  }

  /** The LISTEN sockets of one {@code /proc/net/tcp} or {@code tcp6} table. */
  static List<Listener> parse(String table) {
    List<Listener> listeners = new ArrayList<>();
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) { // line 0 is the header
      String[] fields = lines[i].trim().split("\\s+");
      if (fields.length < 4 || !fields[3].equals(LISTEN)) {
        continue;
      }
      String[] local = fields[1].split(":");
      listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
    }
    return listeners;
  }

  /** An address of 8 (IPv4) or 32 (IPv6) hex digits, in 32-bit words of little-endian byte order. */
  private static InetAddress address(String hex) {
    if (hex.length() != 8 && hex.length() != 32) {
      throw new IllegalArgumentException("expected 8 or 32 hexadecimal digits of an address, got " + hex);
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = (word * 4 + b) * 2;
        bytes[word * 4 + 3 - b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * What a worker says once about its server on {@code port}: where it really listens and what that
   * means. {@code listeners} is {@link #on}'s reading (empty: not readable here).
   */
  public static String notice(String worker, int port, List<Listener> listeners) {
    String where;
    if (listeners.isEmpty()) {
      where = "on every network interface, port " + port + " (TensorFlow's gRPC server binds 0.0.0.0 and [::] whatever "
          + "host --cluster names; this machine has no /proc/net/tcp to confirm it)";
    } else if (listeners.stream().anyMatch(Listener::everyInterface)) {
      where = "on every network interface, port " + port + " (" + describe(listeners) + ", read from /proc/net), "
          + "whatever host --cluster names";
    } else {
      where = "on " + describe(listeners) + " (read from /proc/net)";
    }
    return String.format(Locale.ROOT, "warning: %s: TensorFlow's server listens %s. It has no authentication and no "
        + "encryption: anyone who can reach port %d can run any TensorFlow graph as this user, reading and writing its "
        + "files. Let only the other workers reach it: run the workers inside an isolated network, or firewall the port "
        + "(docs/multi-worker.md, \"Trust boundary\").", worker, where, port);
  }

  private static String describe(List<Listener> listeners) {
    return String.join(" and ", listeners.stream().map(Listener::toString).distinct().toList());
  }
}
