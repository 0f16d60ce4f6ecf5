package io.jgan.train.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's socket tables as Linux writes them, decoded by hand in each comment. */
class ListeningSocketsTest {
  // Two rows of a real /proc/net/tcp: 127.0.0.1:8080 LISTEN (0100007F is 127.0.0.1 in little-endian
  // order, 1F90 is 8080) and an established connection from 10.0.0.2:56000 (0200000A, DAC0), which
  // is no listener.
  private static final String TCP = """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
         1: 0200000A:DAC0 0300000A:0016 01 00000000:00000000 02:0000097E 00000000     0        0 1002 2 0000000000000000 20 4 30 10 -1
      """;
  // /proc/net/tcp6: [::]:12345 LISTEN (3039 is 12345), ::1 port 2222 LISTEN (the last word 01000000 is
  // the bytes 00 00 00 01), and fe80::1 port 80 in state 06 (TIME_WAIT).
  private static final String TCP6 = """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000000000000000000000000000:3039 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 10 0
         1: 00000000000000000000000001000000:08AE 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0000000000000000 100 0 0 10 0
         2: 000080FE000000000000000001000000:0050 000080FE000000000000000002000000:C350 06 00000000:00000000 03:00000D0C 00000000     0        0 0 3 0000000000000000
      """;

  @Test
  void listenersAreDecodedFromBothTables() {
    List<ListeningSockets.Listener> v4 = ListeningSockets.parse(TCP);
    assertEquals(1, v4.size());
    assertEquals("127.0.0.1:8080", v4.get(0).toString());
    assertFalse(v4.get(0).everyInterface());
    List<ListeningSockets.Listener> v6 = ListeningSockets.parse(TCP6);
    assertEquals(2, v6.size());
    assertEquals("[::]:12345", v6.get(0).toString());
    assertTrue(v6.get(0).everyInterface());
    assertEquals("[0:0:0:0:0:0:0:1]:2222", v6.get(1).toString());
    assertTrue(v6.get(1).address().isLoopbackAddress());
  }

  @Test
  void theNoticeSaysWhereTheServerListensAndWhatThatMeans() {
    String every = ListeningSockets.notice("worker 0 of 2 (127.0.0.1:12345, the chief)", 12345,
        ListeningSockets.parse(TCP6).subList(0, 1));
    assertTrue(every.startsWith("warning: worker 0 of 2 (127.0.0.1:12345, the chief): TensorFlow's server listens on "
        + "every network interface, port 12345 ([::]:12345, read from /proc/net), whatever host --cluster names."), every);
    assertTrue(every.contains("no authentication and no encryption: anyone who can reach port 12345 can run any "
        + "TensorFlow graph as this user"), every);
    String unknown = ListeningSockets.notice("worker 1 of 2 (h:1)", 1, List.of());
    assertTrue(unknown.contains("listens on every network interface, port 1 (TensorFlow's gRPC server binds 0.0.0.0"), unknown);
    String narrow = ListeningSockets.notice("worker 1 of 2 (h:8080)", 8080, ListeningSockets.parse(TCP));
    assertTrue(narrow.contains("listens on 127.0.0.1:8080 (read from /proc/net)"), narrow);
  }
}
