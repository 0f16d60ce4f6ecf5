package io.jgan.train.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which worker addresses are accepted without --unsafe-public-cluster: each range and its edges, by literal address. */
class TrustBoundaryTest {
  private static String range(String literal) throws Exception {
    return TrustBoundary.range(InetAddress.getByName(literal)); // a literal is parsed, never looked up
  }

  @Test
  void trustedRangesAreAcceptedUpToTheirEdges() throws Exception {
    assertEquals("loopback", range("127.0.0.1"));
    assertEquals("loopback", range("127.255.255.254"));
    assertEquals("loopback", range("::1"));
    assertEquals("private", range("10.0.0.0"));
    assertEquals("private", range("10.255.255.255"));
    assertEquals("private", range("172.16.0.0"));
    assertEquals("private", range("172.31.255.255"));
    assertEquals("private", range("192.168.0.1"));
    assertEquals("private", range("fc00::1"));
    assertEquals("private", range("fdff:ffff::1"));
    assertEquals("link-local", range("169.254.0.1"));
    assertEquals("link-local", range("fe80::1"));
    assertEquals("link-local", range("febf::1"));
    assertEquals("carrier-grade NAT", range("100.64.0.0"));
    assertEquals("carrier-grade NAT", range("100.127.255.255"));
  }

  @Test
  void everythingElseIsOutside() throws Exception {
    for (String outside : new String[] {"8.8.8.8", "9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0",
        "192.167.255.255", "192.169.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255", "2001:4860:4860::8888",
        "fbff::1", "fe00::1", "fec0::1", "0.0.0.0", "::", "224.0.0.1"}) {
      assertNull(range(outside), outside);
    }
  }

  @Test
  void aClusterIsCheckedHostByHost() {
    TrustBoundary.check(Cluster.parse("localhost:1,127.0.0.1:2,[::1]:3,192.168.1.5:4", 0), false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrustBoundary.check(Cluster.parse("10.0.0.1:1,0.0.0.0:2", 0), false));
    assertTrue(e.getMessage().contains("worker 1's host '0.0.0.0' (0.0.0.0:2) is 0.0.0.0, the unspecified address"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrustBoundary.check(Cluster.parse("10.0.0.1:1,224.0.0.1:2", 0), false));
    assertTrue(e.getMessage().contains("224.0.0.1, a multicast address"), e.getMessage());
    TrustBoundary.check(Cluster.parse("10.0.0.1:1,8.8.8.8:2", 0), true); // the user says the network is trusted
  }

  @Test
  void ipv6LiteralsLoseTheirBrackets() {
    assertEquals("::1", TrustBoundary.host("[::1]:2222"));
    assertEquals("host", TrustBoundary.host("host:2222"));
  }
}
