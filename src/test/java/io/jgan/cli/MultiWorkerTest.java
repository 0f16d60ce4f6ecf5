package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.IsolatedNetwork;
import io.jgan.data.Dataset;
import io.jgan.data.RealData;
import io.jgan.train.loop.StopRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --cluster A,B --task I}: worker processes on 127.0.0.1, each a child JVM as a user
 * starts it, inside a private network namespace ({@link IsolatedNetwork}) so that their servers,
 * which listen on every interface, are open to no other host.
 *
 * <p>Two workers with one replica each compute what one process with {@code --replicas 2}
 * computes, bit for bit: the same towers (replica r draws the same numbers in either), the same
 * two-member all-reduce (a sum of two values is the same either way round), the same update on
 * each copy of the variables. That {@code --replicas 2} equals one device on the global batch is
 * {@code ReplicasTest}'s (float64, 1e-9), and {@code TwoWorkersTest} checks two worker processes
 * against one device directly in float64.
 */
class MultiWorkerTest {
  @TempDir static Path dir;

  /** Longest a survivor may take to notice a lost worker: the all-reduce timeout given below, with room for a slow machine. */
  private static final int TIMEOUT_SECONDS = 20;
  private static final int NOTICE_SECONDS = 90;

  @BeforeAll
  static void data() {
    RealData.ensure(Dataset.MNIST); // before two processes would each fetch it
  }

  private static List<String> args(String preset, Path run, int epochs, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--preset", preset, "--batch-size", "8", "--steps-per-epoch", "3",
        "--epochs", Integer.toString(epochs), "--steps", "0", "--threads", "1", "--seed", "5", "--eval-every", "0",
        "--checkpoint-every", "1", "--keep", "0", "--run-dir", run.toString()));
    // An option given in extra replaces the default above (Commons CLI would take the first value).
    for (String option : extra) {
      int at = args.indexOf(option);
      if (option.startsWith("--") && at > 0 && at + 1 < args.size() && !args.get(at + 1).startsWith("--")) {
        args.subList(at, at + 2).clear();
      }
    }
    args.addAll(List.of(extra));
    return args;
  }

  /** Where the workers run: a private network namespace, so that their servers are open to no other host. */
  private static IsolatedNetwork network() {
    return IsolatedNetwork.get();
  }

  /** Starts one worker per task of a loopback cluster; worker i's run directory is {@code runs[i]}. */
  private static List<Process> startWorkers(String preset, Path[] runs, int epochs, String name, String... extra)
      throws IOException {
    int[] ports = network().freshPorts(runs.length);
    List<String> addresses = new ArrayList<>();
    for (int p : ports) {
      addresses.add("127.0.0.1:" + p);
    }
    List<Process> workers = new ArrayList<>();
    for (int task = 0; task < runs.length; task++) {
      List<String> a = args(preset, runs[task], epochs, extra);
      a.addAll(List.of("--cluster", String.join(",", addresses), "--task", Integer.toString(task), "--worker-timeout",
          Integer.toString(TIMEOUT_SECONDS)));
      workers.add(ChildTrainers.startWorker(a.toArray(String[]::new), log(name, task), network()));
    }
    return workers;
  }

  private static Path log(String name, int task) {
    return dir.resolve(name + "-worker" + task + ".log");
  }

  private static String finish(Process p, Path log) throws Exception {
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("a worker did not finish in 600 s: " + Files.readString(log));
    }
    return Files.readString(log);
  }

  /** One process, {@code --replicas 2}: what two workers of one replica each must equal. */
  private static void trainInOneProcess(String preset, Path run, int epochs, String... extra) throws Exception {
    trainInOneProcess(preset, run, epochs, 2, extra);
  }

  private static void trainInOneProcess(String preset, Path run, int epochs, int replicas, String... extra) throws Exception {
    List<String> a = args(preset, run, epochs, extra);
    a.addAll(List.of("--replicas", Integer.toString(replicas)));
    CommandLineTest.Outcome o = ChildTrainers.runToEnd(a.toArray(String[]::new), dir.resolve(run.getFileName() + ".log"));
    assertEquals(0, o.status(), o.out());
  }

  /** Two workers of {@code perWorker} replicas each against one process of twice as many. */
  private static void assertTwoWorkersEqualOneProcess(String preset, String name, int perWorker, String... extra)
      throws Exception {
    List<String> workerArgs = new ArrayList<>(List.of(extra));
    workerArgs.addAll(List.of("--replicas", Integer.toString(perWorker)));
    extra = workerArgs.toArray(String[]::new);
    Path chief = dir.resolve(name + "-chief");
    Path other = dir.resolve(name + "-other"); // the second worker's own --run-dir: it must write nothing there
    List<Process> workers = startWorkers(preset, new Path[] {chief, other}, 2, name, extra);
    String chiefLog = finish(workers.get(0), log(name, 0));
    String otherLog = finish(workers.get(1), log(name, 1));
    assertEquals(0, workers.get(0).exitValue(), chiefLog);
    assertEquals(0, workers.get(1).exitValue(), otherLog);
    assertTrue(chiefLog.contains("Replicas: " + 2 * perWorker + " in all, " + perWorker
        + " in this worker on /job:worker/replica:0/task:0/device:CPU:0"), chiefLog);
    assertTrue(otherLog.contains("the chief writes the run's files, this worker none"), otherLog);
    assertTrue(otherLog.contains("Done: 2 epochs, 6 steps"), otherLog);
    assertFalse(Files.exists(other), "the second worker wrote " + other);

    Path one = dir.resolve(name + "-one-process");
    trainInOneProcess(preset, one, 2, 2 * perWorker, java.util.Arrays.copyOf(extra, extra.length - 2));
    ChildTrainers.assertSameRun(one, chief, 1, 2, name + ": two workers against --replicas " + 2 * perWorker);
  }

  @Test
  void twoWorkerProcessesEqualOneProcessWithTwoReplicas() throws Exception {
    assertTwoWorkersEqualOneProcess("gan-tf1", "tf1", 1);
  }

  /** Replicas are numbered across workers (worker 1 holds replicas 2 and 3): two workers of 2 equal one process of 4. */
  @Test
  void twoWorkerProcessesOfTwoReplicasEachEqualOneProcessWithFour() throws Exception {
    assertTwoWorkersEqualOneProcess("gan-tf1", "tf1-four", 2);
  }

  @Test
  void twoWorkerProcessesWithSynchronisedBatchNormEqualOneProcess() throws Exception {
    assertTwoWorkersEqualOneProcess("dcgan-mnist", "sync-bn", 1, "--sync-bn");
  }

  /**
   * A worker killed mid-run: the chief stops within the bounded time with an error naming the lost
   * worker and its latest checkpoint, which stays whole; both workers started again resume from it
   * and end where an uninterrupted run ends, bit for bit.
   */
  @Test
  void aKilledWorkerStopsTheOthersAndTheRunResumesFromTheChiefsCheckpoint() throws Exception {
    Path chief = dir.resolve("kill-chief");
    Path[] runs = {chief, chief};
    List<Process> workers = startWorkers("gan-tf1", runs, 4, "kill", "--steps-per-epoch", "200");
    Path second = chief.resolve("training_checkpoints/ckpt-2.index");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!Files.exists(second) && workers.get(0).isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(Files.exists(second), Files.readString(log("kill", 0)));
    workers.get(1).destroyForcibly(); // SIGKILL
    long killed = System.nanoTime();
    assertTrue(workers.get(0).waitFor(NOTICE_SECONDS, TimeUnit.SECONDS),
        "the chief still waits " + NOTICE_SECONDS + " s after its peer was killed (a hang)");
    double seconds = (System.nanoTime() - killed) / 1e9;
    String out = Files.readString(log("kill", 0));
    assertEquals(Command.WORKERS_LOST, workers.get(0).exitValue(), out);
    assertTrue(out.contains("error: worker 0 of 2 ("), out);
    assertTrue(out.matches("(?s).*could not complete: (lost worker 1 \\(127\\.0\\.0\\.1:\\d+\\)|another worker was lost).*"), out);
    assertTrue(out.contains("start every worker again"), out);
    System.out.printf("the chief stopped %.2f s after its peer was killed%n", seconds);
    String latest = out.replaceAll("(?s).*the chief's latest checkpoint is (\\S+);.*", "$1");
    assertTrue(io.jgan.store.CheckpointManager.isComplete(Path.of(latest)), latest + " whole");

    // Both again, to the end: the run resumes from the chief's latest checkpoint.
    workers = startWorkers("gan-tf1", runs, 4, "resume", "--steps-per-epoch", "200");
    String resumed = finish(workers.get(0), log("resume", 0));
    String otherResumed = finish(workers.get(1), log("resume", 1));
    assertEquals(0, workers.get(0).exitValue(), resumed);
    assertEquals(0, workers.get(1).exitValue(), otherResumed);
    assertTrue(resumed.contains("Resumed from " + latest), resumed);
    assertTrue(otherResumed.contains("Resumed from " + latest), otherResumed);

    ChildTrainers.assertSameRun(straight(), chief, 1, 4, "killed, resumed with both workers, against uninterrupted");
  }

  private static Path straight;

  /** 4 epochs of 200 steps of gan-tf1 in one process with --replicas 2, uninterrupted: what the stopped runs must end as. */
  private static synchronized Path straight() throws Exception {
    if (straight == null) {
      Path run = dir.resolve("straight");
      trainInOneProcess("gan-tf1", run, 4, "--steps-per-epoch", "200");
      straight = run;
    }
    return straight;
  }

  /**
   * SIGTERM to one worker (not the chief) stops every worker after the same step: the chief saves
   * an interim checkpoint of it though it got no signal, both exit with the signal's status, and
   * both started again end as the uninterrupted run does, bit for bit.
   */
  @Test
  void aStopRequestToOneWorkerStopsEveryWorkerAfterTheSameStep() throws Exception {
    Path chief = dir.resolve("stop-chief");
    Path[] runs = {chief, chief};
    List<Process> workers = startWorkers("gan-tf1", runs, 4, "stop", "--steps-per-epoch", "200");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!Files.exists(chief.resolve("training_checkpoints/ckpt-1.index")) && workers.get(0).isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    ChildTrainers.signal(workers.get(1), "TERM", false);
    String chiefOut = finish(workers.get(0), log("stop", 0));
    String otherOut = finish(workers.get(1), log("stop", 1));
    assertEquals(StopRequest.SIGTERM_STATUS, workers.get(1).exitValue(), otherOut);
    assertEquals(StopRequest.SIGTERM_STATUS, workers.get(0).exitValue(), chiefOut);
    String step = otherOut.replaceAll("(?s).*Stopped by SIGTERM at step (\\d+) .*", "$1");
    assertTrue(step.matches("\\d+"), otherOut);
    assertTrue(chiefOut.contains("Stopped by another worker's request (SIGINT or SIGTERM) at step " + step + " "), chiefOut);
    assertTrue(Files.exists(chief.resolve("training_checkpoints/interim-" + step + ".index")), chiefOut);

    workers = startWorkers("gan-tf1", runs, 4, "stop-resume", "--steps-per-epoch", "200");
    String resumed = finish(workers.get(0), log("stop-resume", 0));
    finish(workers.get(1), log("stop-resume", 1));
    assertEquals(0, workers.get(0).exitValue(), resumed);
    assertEquals(0, workers.get(1).exitValue(), Files.readString(log("stop-resume", 1)));
    assertTrue(resumed.contains("training_checkpoints/interim-" + step + ": "), resumed);
    ChildTrainers.assertSameRun(straight(), chief, 1, 4, "stopped by a signal to worker 1, resumed, against uninterrupted");
  }


  /** A worker whose port is taken says so and exits 1, with no stack trace. */
  @Test
  void aTakenPortIsAClearError() throws Exception {
    int[] ports = network().freshPorts(2);
    int port = ports[0];
    Process holder = network().holdPort(port);
    try {
      List<String> a = args("gan-tf1", dir.resolve("taken"), 1);
      a.addAll(List.of("--cluster", "127.0.0.1:" + port + ",127.0.0.1:" + ports[1], "--task", "0"));
      Process p = ChildTrainers.startWorker(a.toArray(String[]::new), log("taken", 0), network());
      String out = finish(p, log("taken", 0));
      assertEquals(Command.INPUT_ERROR, p.exitValue(), out);
      assertTrue(out.contains("error: cannot start the TensorFlow server of worker 0 of 2 (127.0.0.1:" + port
          + ", the chief): expected port " + port + " to be free on this machine"), out);
      assertFalse(out.contains("Exception in thread"), out);
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  /**
   * Where a worker's server really listens, read from the kernel by {@code ss}, independently of the
   * worker's own reading: every interface, as the docs and the worker's warning say. If TensorFlow
   * ever binds only the cluster's host, this fails and the docs must change with it.
   */
  @Test
  void aWorkerListensOnEveryInterfaceAndSaysSo() throws Exception {
    int port = network().freshPorts(1)[0];
    List<String> a = args("gan-tf1", dir.resolve("listen"), 1, "--steps-per-epoch", "100000");
    a.addAll(List.of("--cluster", "127.0.0.1:" + port, "--task", "0")); // a cluster of one, as tf.distribute allows
    Path log = log("listen", 0);
    Process worker = ChildTrainers.startWorker(a.toArray(String[]::new), log, network());
    try {
      ChildTrainers.waitFor(log, "Epoch 1/1", 1, worker, 120);
      String listeners = network().listeners();
      assertTrue(listeners.matches("(?s).*LISTEN\\s+\\d+\\s+\\d+\\s+(\\*|0\\.0\\.0\\.0|\\[::\\]):" + port + "\\s.*"),
          "ss -ltn inside the workers' network shows no wildcard listener on " + port + ":\n" + listeners);
      String out = Files.readString(log);
      assertTrue(out.contains("warning: worker 0 of 1 (127.0.0.1:" + port + ", the chief): TensorFlow's server listens on "
          + "every network interface, port " + port + " ("), out);
      assertTrue(out.contains("anyone who can reach port " + port + " can run any TensorFlow graph as this user"), out);
      assertEquals(1, out.split("TensorFlow's server listens", -1).length - 1, "said once: " + out);
    } finally {
      worker.destroyForcibly().waitFor();
    }
  }

  /** Workers that would train from different states, or to different ends, stop before the first step, all saying so. */
  @Test
  void workersStartingFromDifferentStatesAreStopped() throws Exception {
    assertRefusedToStart("seed", new String[] {"--seed", "5"}, new String[] {"--seed", "6"},
        "the workers start from different states (seed from 5 to 6; sum of squares of the variables");
    // The same weights, but worker 1 would stop an epoch early and leave the chief waiting.
    assertRefusedToStart("epochs", new String[] {"--epochs", "2"}, new String[] {"--epochs", "1"},
        "the workers start from different states (epochs from 1 to 2)");
  }

  private static void assertRefusedToStart(String name, String[] chief, String[] other, String expected) throws Exception {
    int[] ports = network().freshPorts(2);
    String cluster = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
    List<Process> workers = new ArrayList<>();
    for (int task = 0; task < 2; task++) {
      List<String> a = args("gan-tf1", dir.resolve(name + "-differ-" + task), 1, task == 0 ? chief : other);
      a.addAll(List.of("--cluster", cluster, "--task", Integer.toString(task)));
      workers.add(ChildTrainers.startWorker(a.toArray(String[]::new), log(name + "-differ", task), network()));
    }
    for (int task = 0; task < 2; task++) {
      String out = finish(workers.get(task), log(name + "-differ", task));
      assertEquals(Command.WORKERS_LOST, workers.get(task).exitValue(), out);
      assertTrue(out.contains(expected), out);
      assertFalse(out.contains("Epoch 1/"), "trained nothing: " + out);
    }
    assertFalse(Files.exists(dir.resolve(name + "-differ-0/training_checkpoints")), "no checkpoint");
  }
}
