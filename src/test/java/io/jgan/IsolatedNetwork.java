package io.jgan;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the tests run their worker processes: a private network namespace that no other host can
 * reach. TensorFlow's gRPC server listens on every interface of the network it runs in, whatever
 * address the cluster names (docs/multi-worker.md, "Trust boundary"), so a test worker on this
 * machine's own network would be a door open to its whole network for the test's duration.
 *
 * <p>The namespace is made once per test JVM by {@code unshare --net} (as root; otherwise in a user
 * namespace of its own, {@code unshare --user --map-root-user --net}, where the kernel allows
 * unprivileged ones), with its loopback brought up, and each worker is started inside it through
 * {@code nsenter} (which execs, so the {@link Process} is the worker itself: signals reach it). The
 * namespace lives as long as its holder process, which ends when the test JVM does (it waits for
 * its standard input to close). Inside it, nothing else binds ports, so fresh ports are simply
 * counted, with no race between choosing a port and a child binding it.
 *
 * <p>Where neither namespace can be made, the workers run on this machine's network with 127.0.0.1
 * addresses, as far as TensorFlow allows (it still listens on every interface), and the first use
 * says so and why on stderr; with {@code JGAN_REQUIRE_NETNS=1} (set by CI, which runs as root) that
 * is a failure instead.
 */
public final class IsolatedNetwork {
  /** Set to 1 where a namespace must be made (CI): falling back to the machine's network fails. */
  public static final String REQUIRE = "JGAN_REQUIRE_NETNS";
  private static final int FIRST_PORT = 20000;
  private static IsolatedNetwork shared;

  private final List<String> enter; // the nsenter prefix; empty on the machine's own network
  private final String description;
  private final AtomicInteger nextPort = new AtomicInteger(FIRST_PORT);

  private IsolatedNetwork(List<String> enter, String description) {
    this.enter = enter;
    this.description = description;
  }

  /** The test JVM's namespace, made on first use. */
  public static synchronized IsolatedNetwork get() {
    if (shared == null) {
      shared = make();
      System.err.println("multi-worker tests: " + shared.description);
    }
    return shared;
  }

  private static IsolatedNetwork make() {
    List<String> problems = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    List<List<String>> attempts = root
        ? List.of(List.of("unshare", "--net", "--fork"))
        : List.of(List.of("unshare", "--user", "--map-root-user", "--net", "--fork"));
    for (List<String> unshare : attempts) {
      try {
        IsolatedNetwork made = tryNamespace(unshare, root);
        if (made != null) {
          return made;
        }
      } catch (IOException | InterruptedException e) {
        problems.add(String.join(" ", unshare) + ": " + e.getMessage());
      }
    }
    String why = String.join("; ", problems);
    if ("1".equals(System.getenv(REQUIRE))) {
      fail(REQUIRE + "=1: expected a private network namespace for the multi-worker tests, got none (" + why + ")");
    }
    return new IsolatedNetwork(List.of(), "no private network namespace could be made (" + why + "); the workers run "
        + "on this machine's network with 127.0.0.1 addresses, and TensorFlow's servers listen on every interface of it "
        + "while they run");
  }

  /** Starts the namespace's holder; null with the reason added to the exception where it fails. */
  private static IsolatedNetwork tryNamespace(List<String> unshare, boolean root) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(unshare);
    // Loopback up, then wait until the test JVM (our standard input) is gone.
    command.addAll(List.of("sh", "-c", "ip link set lo up && echo ready && exec cat >/dev/null"));
    Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = first.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      line = null;
    }
    if (!"ready".equals(line)) {
      holder.destroyForcibly();
      throw new IOException("expected 'ready', got " + line);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(holder::destroy, "isolated-network"));
    String ns = "/proc/" + holder.pid() + "/ns/";
    List<String> enter = root
        ? List.of("nsenter", "--net=" + ns + "net", "--")
        : List.of("nsenter", "--preserve-credentials", "--user=" + ns + "user", "--net=" + ns + "net", "--");
    return new IsolatedNetwork(enter, "workers run in a private network namespace (" + String.join(" ", unshare)
        + ", loopback only), reachable from no other host");
  }

  /** Whether the workers run in a namespace of their own. */
  public boolean isolated() {
    return !enter.isEmpty();
  }

  /** {@code command} as it runs inside the network (nsenter exec's it: the process is the command itself). */
  public List<String> wrap(List<String> command) {
    List<String> all = new ArrayList<>(enter);
    all.addAll(command);
    return all;
  }

  /**
   * {@code n} ports no process of the network holds: counted in the namespace; on the machine's
   * network, ports the kernel found free a moment ago (another process may take one before a worker
   * binds it: the race a namespace avoids).
   */
  public int[] freshPorts(int n) throws IOException {
    int[] ports = new int[n];
    if (isolated()) {
      for (int i = 0; i < n; i++) {
        ports[i] = nextPort.getAndIncrement();
      }
      return ports;
    }
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  /** Starts a process inside the network that holds {@code port} until destroyed (for the taken-port test). */
  public Process holdPort(int port) throws IOException, InterruptedException {
    List<String> command = wrap(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), HoldPort.class.getName(), Integer.toString(port)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (!("holding " + port).equals(line)) {
      p.destroyForcibly();
      throw new IOException("expected the port holder to say 'holding " + port + "', got " + line);
    }
    return p;
  }

  /** The TCP listeners of the network as {@code ss -ltnH} prints them (State Recv-Q Send-Q Local Peer). */
  public String listeners() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(wrap(List.of("ss", "-ltnH"))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("ss -ltnH failed: " + out);
    }
    return out;
  }

  /** {@code java ... IsolatedNetwork$HoldPort PORT}: binds PORT on every interface, says so, sleeps. */
  public static final class HoldPort {
    public static void main(String[] args) throws Exception {
      try (ServerSocket s = new ServerSocket(Integer.parseInt(args[0]))) {
        System.out.println("holding " + s.getLocalPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
    }
  }
}
