package io.jgan.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Hides TensorFlow's native log lines unless {@code --verbose}.
 *
 * <p>TensorFlow's C++ code logs INFO lines ("This TensorFlow binary is optimized...", "MLIR V1
 * optimization pass is not enabled") straight to the process's stderr; two logging libraries are
 * involved, one obeying {@code TF_CPP_MIN_LOG_LEVEL}, which a running JVM cannot set for itself,
 * and absl, which ignores it. So the command runs in a child JVM (same classpath, whether started
 * by {@code java -cp} or inside Maven's {@code exec:java}) with the variable set, and the parent
 * copies the child's stderr minus native INFO and WARNING lines and the native errors known to be
 * harmless ({@link #HARMLESS_ERRORS}, each named with its reason); other native errors still show. The
 * child exits when the parent dies, so killing the command (even with {@code kill -9}) never
 * leaves a trainer behind; Ctrl-C and SIGTERM let the child stop gracefully ({@link Signals}).
 */
final class Relaunch {
  static final String LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";
  /** Marks the child, which watches its parent. */
  static final String CHILD = "JGAN_RELAUNCHED";
  static final String ONEDNN = "TF_ENABLE_ONEDNN_OPTS";
  static final String ONEDNN_DEFAULT = "1";

  /** TSL ("2026-11-22 11:27:36.654602: I tensorflow/...") and absl ("I0000 00:00:1795346856.67 10795 file.cc:401]") INFO/WARNING lines. */
  static final Pattern NATIVE_NOISE = Pattern.compile(
      "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IW] \\S+:\\d+\\].*"
          + "|[IW]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ \\S+:\\d+\\].*"
          + "|WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR"
          + "|To enable the following instructions: .*, in other operations, rebuild TensorFlow with the appropriate compiler flags\\.)$");

  /** A native ERROR line known to be harmless, named, with why it may be hidden. */
  record HarmlessError(String name, Pattern pattern, String why) {}

  /**
   * The native ERROR lines hidden without {@code --verbose}: each one is understood and changes
   * nothing. Every other native error still shows.
   */
  static final List<HarmlessError> HARMLESS_ERRORS = List.of(new HarmlessError(
      "grappler remapper on a LeakyRelu gradient",
      Pattern.compile("^E\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ meta_optimizer\\.cc:\\d+\\] remapper failed: "
          + "INVALID_ARGUMENT: Mutation::Apply error: fanout '[\\w/]*LeakyReluGrad(_\\d+)?' exist for missing node "
          + "'[\\w/]*BiasAdd(_\\d+)?'\\.?$"),
      "grappler's second remapper pass tries a oneDNN-only fusion of Conv2D + BiasAdd + LeakyRelu into _FusedConv2D "
          + "whose BiasAdd output the LeakyRelu gradient still reads; the meta-optimizer drops that one pass and runs the "
          + "graph as the first pass left it (the Python tutorial prints the same line on its first step)"));

  private Relaunch() {}

  /** Whether the parent hides {@code line} of the child's stderr: native INFO/WARNING noise or a known harmless error. */
  static boolean hidden(String line) {
    if (NATIVE_NOISE.matcher(line).matches()) {
      return true;
    }
    for (HarmlessError h : HARMLESS_ERRORS) {
      if (h.pattern().matcher(line).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Whether this invocation should run in a quiet child. */
  static boolean wanted(String[] args) {
    if (System.getenv(LOG_LEVEL) != null || System.getenv(CHILD) != null || args.length == 0) {
      return false;
    }
    for (String a : args) {
      if (a.equals("--verbose") || a.equals("--help") || a.equals("-h")) {
        return false;
      }
    }
    return !args[0].equals("help") && !args[0].equals("export-images"); // export-images runs no TensorFlow
  }

  /**
   * What the child's environment adds to {@code parent}'s: quiet native logs, the child mark, and
   * oneDNN on unless the user chose ({@code TF_ENABLE_ONEDNN_OPTS}, read when TensorFlow loads; off
   * by default in TensorFlow Java on this kind of CPU, on it is 1.46x faster per dcgan-mnist step,
   * keeps parity with Python and keeps runs deterministic).
   */
  static Map<String, String> childEnvironment(Map<String, String> parent) {
    Map<String, String> added = new LinkedHashMap<>();
    added.put(LOG_LEVEL, "2");
    added.put(CHILD, "1");
    if (!parent.containsKey(ONEDNN)) {
      added.put(ONEDNN, ONEDNN_DEFAULT);
    }
    return added;
  }

  /** Runs {@code args} in a child JVM and returns its exit status. */
  static int run(String[] args, PrintStream err) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String property : new String[] {"jgan.home", "java.awt.headless"}) {
      if (System.getProperty(property) != null) {
        command.add("-D" + property + "=" + System.getProperty(property));
      }
    }
    command.add("-cp");
    command.add(classpath());
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(childEnvironment(System.getenv()));
    Process child = builder.start();
    Thread stopChild = new Thread(child::destroy, "stop-child");
    Runtime.getRuntime().addShutdownHook(stopChild);
    AtomicBoolean acknowledged = new AtomicBoolean();
    Signals.installForParent(child.toHandle(), acknowledged);
    Thread pump = new Thread(() -> copyFiltered(child, err, acknowledged), "stderr-filter");
    pump.start();
    int status = child.waitFor();
    pump.join();
    Runtime.getRuntime().removeShutdownHook(stopChild);
    return status;
  }

  private static void copyFiltered(Process child, PrintStream err, AtomicBoolean stopping) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(io.jgan.training.GracefulStop.STOPPING)) {
          stopping.set(true); // the child got the signal itself: nothing to forward
        }
        if (!hidden(line)) {
          err.println(line);
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  /** In the child: exit as soon as the parent is gone, so that a killed command leaves nothing running. */
  static void watchParentIfChild() {
    if (System.getenv(CHILD) == null) {
      return;
    }
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent == null) {
      return;
    }
    Thread watch = new Thread(() -> {
      while (true) {
        if (!parent.isAlive()) {
          Runtime.getRuntime().halt(143);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /** The application classpath: exec:java's class loader URLs, or java.class.path. */
  static String classpath() {
    List<String> entries = new ArrayList<>();
    for (ClassLoader cl = Main.class.getClassLoader(); cl != null; cl = cl.getParent()) {
      if (cl instanceof URLClassLoader u && u.getURLs().length > 0) {
        for (URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file URL
          }
        }
        if (!entries.isEmpty()) {
          return String.join(File.pathSeparator, entries);
        }
      }
    }
    return System.getProperty("java.class.path");
  }
}
