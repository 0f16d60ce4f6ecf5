package io.jgan.train.distributed;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which cluster addresses a worker may use without the user saying the network is trusted.
 *
 * <p>Why: TensorFlow's gRPC server (TensorFlow 2.18) has no authentication and no encryption, and
 * it listens on every interface whatever host the cluster names; whoever reaches its port can run
 * any graph, {@code ReadFile} and {@code WriteFile} included, as this user (TensorFlow's
 * SECURITY.md). Nothing in TensorFlow can narrow that, so the defence is ours: every host of the
 * cluster is resolved before any server starts, and each of its addresses must lie in a range that
 * does not reach the internet by itself: loopback (127.0.0.0/8, ::1), private (RFC 1918 10/8,
 * 172.16/12, 192.168/16; unique local fc00::/7), link-local (169.254/16, fe80::/10) or
 * carrier-grade NAT (100.64/10, as WireGuard and Tailscale overlays use). Anything else is refused
 * unless the user passes {@value #UNSAFE_FLAG}.
 *
 * <p>A private address is not a safe one: any host on that network reaches the port too. That is
 * why every worker also prints where its server really listens ({@link ListeningSockets}) and
 * the docs say how to close the port to everyone but the peers.
 */
public final class TrustBoundary {
  /** The command-line flag that accepts addresses outside those ranges; named so that nobody passes it by accident. */
  public static final String UNSAFE_FLAG = "--unsafe-public-cluster";

  private TrustBoundary() {}

  /**
   * Checks every host of {@code cluster}; with {@code unsafeAllowPublic} only that each resolves.
   *
   * @throws IllegalArgumentException naming the host, its address and the reason, for a host that
   *     does not resolve or (without {@code unsafeAllowPublic}) resolves outside the ranges above
   */
  public static void check(Cluster cluster, boolean unsafeAllowPublic) {
    for (int task = 0; task < cluster.size(); task++) {
      String address = cluster.addresses().get(task);
      String host = host(address);
      InetAddress[] resolved;
      try {
        resolved = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("--cluster: worker " + task + "'s host '" + host + "' (" + address
            + ") does not resolve: expected a host name or IP address this machine can look up");
      }
      if (unsafeAllowPublic) {
        continue;
      }
      for (InetAddress a : resolved) {
        if (range(a) == null) {
          throw new IllegalArgumentException("--cluster: worker " + task + "'s host '" + host + "' (" + address
              + ") is " + a.getHostAddress() + ", " + outsideReason(a) + ". TensorFlow's gRPC server has no "
              + "authentication and listens on every interface: anyone who reaches its port can run any graph "
              + "(read and write files) as this user. Expected addresses in trusted ranges: " + RANGES + ". If every "
              + "host that can reach the workers' ports is yours (a firewall drops them from everyone else), pass "
              + UNSAFE_FLAG);
        }
      }
    }
  }

  /** The ranges accepted without {@value #UNSAFE_FLAG}, as the refusal names them. */
  static final String RANGES = "loopback (127.0.0.0/8, ::1), private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, "
      + "fc00::/7), link-local (169.254.0.0/16, fe80::/10), carrier-grade NAT (100.64.0.0/10)";

  /** The range {@code a} lies in ("loopback", "private", "link-local", "carrier-grade NAT"), or null outside them. */
  static String range(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
        return "private";
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return "carrier-grade NAT";
      }
    } else if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return "private"; // unique local addresses, fc00::/7
    }
    return null;
  }

  private static String outsideReason(InetAddress a) {
    if (a.isAnyLocalAddress()) {
      return "the unspecified address (no peer can be reached at it)";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    return "a public address, outside the trusted ranges";
  }

  /** HOST of HOST:PORT, without the brackets of an IPv6 literal ({@code [::1]:2222}). */
  static String host(String address) {
    String host = address.substring(0, address.lastIndexOf(':'));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
