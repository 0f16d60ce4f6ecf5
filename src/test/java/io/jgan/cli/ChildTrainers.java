package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgan.store.CheckpointManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/** Trainers in child JVMs, as a user starts them, and comparisons of the runs they leave. */
final class ChildTrainers {
  private ChildTrainers() {}

  /** {@code args} followed by {@code more}. */
  static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /**
   * Starts {@code jgan args} in a child JVM writing to {@code log}. With {@code relaunching} it
   * starts as a user's command does, re-launching itself into a quiet grandchild; otherwise
   * TF_CPP_MIN_LOG_LEVEL is set and it trains in that one process. {@code ownProcessGroup} puts it
   * in a new session, as a terminal's foreground job, so that a signal can go to the whole group.
   */
  static Process start(String[] args, Path log, boolean relaunching, boolean ownProcessGroup) throws IOException {
    return start(args, log, relaunching, ownProcessGroup, null);
  }

  /** A worker of a multi-worker run: {@code jgan args} (no relaunch) inside {@code network}, where no other host reaches its server. */
  static Process startWorker(String[] args, Path log, io.jgan.IsolatedNetwork network) throws IOException {
    return start(args, log, false, false, network);
  }

  private static Process start(String[] args, Path log, boolean relaunching, boolean ownProcessGroup,
      io.jgan.IsolatedNetwork network) throws IOException {
    List<String> command = new ArrayList<>();
    if (ownProcessGroup) {
      command.add("setsid");
    }
    // A JVM started with SIGINT ignored (a background job of a non-interactive shell: 'mvn test &')
    // passes that on, and a trainer that inherits it cannot be stopped by Ctrl-C: give the child the
    // default disposition, as a terminal's foreground job has (coreutils env, 8.31 and later).
    command.addAll(List.of("env", "--default-signal=INT,TERM"));
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        Relaunch.classpath(), Main.class.getName()));
    command.addAll(List.of(args));
    if (network != null) {
      command = network.wrap(command);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove(Relaunch.CHILD);
    // The commands' default, set explicitly so every process of a comparison computes alike.
    builder.environment().put(Relaunch.ONEDNN, Relaunch.ONEDNN_DEFAULT);
    if (relaunching) {
      builder.environment().remove(Relaunch.LOG_LEVEL);
    } else {
      builder.environment().put(Relaunch.LOG_LEVEL, "2");
    }
    return builder.start();
  }

  /** Runs {@code jgan args} to its end in one child JVM (no relaunch); returns its status and output. */
  static CommandLineTest.Outcome runToEnd(String[] args, Path log) throws Exception {
    Process p = start(args, log, false, false);
    if (!p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child did not finish in 600 s: " + Files.readString(log));
    }
    String printed = Files.readString(log);
    return new CommandLineTest.Outcome(p.exitValue(), printed, printed);
  }

  /** Waits until the child's log holds {@code text} at least {@code times} times (1 or more), or the child exits. */
  static void waitFor(Path log, String text, int times, Process child, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && child.isAlive()) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).split(text, -1).length > times) {
        return;
      }
      Thread.sleep(50);
    }
    if (child.isAlive()) {
      child.destroyForcibly();
      throw new AssertionError("the child printed '" + text + "' fewer than " + times + " times in " + seconds + " s: "
          + Files.readString(log));
    }
  }

  /** Sends {@code signal} (INT, TERM) to a process, or with {@code group} to its whole process group. */
  static void signal(Process p, String signal, boolean group) throws Exception {
    String target = group ? "-" + p.pid() : Long.toString(p.pid()); // setsid: the pid is the group id
    Process kill = new ProcessBuilder("kill", "-s", signal, "--", target).inheritIO().start();
    assertEquals(0, kill.waitFor());
  }

  /** The tutorial's sample grids of a run directory, by name. */
  static Map<String, byte[]> grids(Path runDir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(runDir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().matches("image_at_epoch_\\d{4}\\.png")).toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /** Two runs are the same: checkpoint files ckpt-{from..to}, losses.csv and every grid, bit for bit. */
  static void assertSameRun(Path expected, Path actual, int from, int to, String context) throws IOException {
    for (int n = from; n <= to; n++) {
      for (Path file : List.of(CheckpointManager.data(Path.of("ckpt-" + n)), CheckpointManager.index(Path.of("ckpt-" + n)))) {
        assertArrayEquals(Files.readAllBytes(expected.resolve("training_checkpoints").resolve(file)),
            Files.readAllBytes(actual.resolve("training_checkpoints").resolve(file)), file + " differs (" + context + ")");
      }
    }
    assertSameLossesAndGrids(expected, actual, context);
  }

  /**
   * Two runs trained alike but were configured differently (the configuration is saved in every
   * checkpoint): every other tensor of checkpoints ckpt-{from..to} identical, bit for bit, and the
   * losses and grids too. {@code keys} and {@code types} list what the checkpoints hold.
   */
  static void assertSameTraining(Path expected, Path actual, int from, int to, List<String> keys,
      List<Class<? extends TType>> types, String context) throws IOException {
    List<String> compared = new ArrayList<>();
    List<Class<? extends TType>> comparedTypes = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!keys.get(i).equals("_jgan/config")) {
        compared.add(keys.get(i));
        comparedTypes.add(types.get(i));
      }
    }
    for (int n = from; n <= to; n++) {
      Path name = Path.of("training_checkpoints", "ckpt-" + n);
      List<byte[]> a = tensorBytes(expected.resolve(name), compared, comparedTypes);
      List<byte[]> b = tensorBytes(actual.resolve(name), compared, comparedTypes);
      for (int i = 0; i < compared.size(); i++) {
        assertArrayEquals(a.get(i), b.get(i), name + ": " + compared.get(i) + " differs (" + context + ")");
      }
    }
    assertSameLossesAndGrids(expected, actual, context);
  }

  private static List<byte[]> tensorBytes(Path prefix, List<String> keys, List<Class<? extends TType>> types) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      String[] empty = new String[keys.size()];
      java.util.Arrays.fill(empty, "");
      var read = tf.train.restore(tf.constant(prefix.toString()),
          tf.constant(StandardCharsets.UTF_8, keys.toArray(String[]::new)), tf.constant(StandardCharsets.UTF_8, empty), types);
      Session.Runner runner = s.runner();
      read.tensors().forEach(runner::fetch);
      List<byte[]> out = new ArrayList<>();
      try (Result r = runner.run()) {
        for (int i = 0; i < keys.size(); i++) {
          if (r.get(i) instanceof TString text) {
            out.add(text.asBytes().getObject()); // a string tensor's raw bytes hold pointers
            continue;
          }
          var data = r.get(i).asRawTensor().data();
          byte[] bytes = new byte[(int) data.size()];
          data.read(bytes);
          out.add(bytes);
        }
      }
      return out;
    }
  }

  private static void assertSameLossesAndGrids(Path expected, Path actual, String context) throws IOException {
    assertEquals(Files.readString(expected.resolve("losses.csv")), Files.readString(actual.resolve("losses.csv")),
        "per-step losses (" + context + ")");
    Map<String, byte[]> a = grids(expected);
    Map<String, byte[]> b = grids(actual);
    assertEquals(a.keySet(), b.keySet(), context);
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name), b.get(name), name + " (" + context + ")");
    }
  }
}
