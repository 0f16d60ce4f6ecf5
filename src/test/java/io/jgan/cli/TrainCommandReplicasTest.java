package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.store.CheckpointHeader;
import io.jgan.store.CheckpointManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --replicas N} through the command line: a replicated run trains and saves the
 * single-device checkpoint layout, so it resumes under another replica count both ways; bad values
 * are usage errors that write nothing. That replicas compute what one device computes is
 * {@code ReplicasTest}'s (float64, 1e-9); here only the wiring is checked, on gan-tf1 at batch 8
 * for 3 steps an epoch (seconds).
 */
class TrainCommandReplicasTest {
  @TempDir static Path dir;

  private static CommandLineTest.Outcome train(Path run, int epochs, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--preset", "gan-tf1", "--batch-size", "8", "--steps-per-epoch",
        "3", "--epochs", Integer.toString(epochs), "--steps", "0", "--threads", "2", "--seed", "5", "--eval-every", "0",
        "--run-dir", run.toString()));
    args.addAll(List.of(extra));
    return CommandLineTest.run(args.toArray(String[]::new));
  }

  private static CheckpointHeader header(Path run, int n) {
    Path prefix = run.resolve("training_checkpoints/ckpt-" + n);
    assertTrue(CheckpointManager.isComplete(prefix), prefix + " written");
    return CheckpointHeader.read(prefix, List.of(), List.of());
  }

  @Test
  void replicatedRunsResumeUnderAnotherReplicaCountBothWays() {
    Path two = dir.resolve("two-then-one");
    CommandLineTest.Outcome o = train(two, 1, "--replicas", "2");
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("Replicas: 2 on /device:CPU:0, /device:CPU:1, 4 examples each per step"), o.out());

    Path one = dir.resolve("one-then-two");
    o = train(one, 1);
    assertEquals(0, o.status(), o.out() + o.err());
    assertFalse(o.out().contains("Replicas:"), o.out());
    // The same objects, variables and checkpoint keys as a single-device run's: what Python and --replicas 1 read.
    assertEquals(header(one, 1).objectGraph(), header(two, 1).objectGraph());

    o = train(two, 2);
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("Resumed from " + two.resolve("training_checkpoints/ckpt-1") + ": epoch 1 done, step 3"),
        o.out());
    assertTrue(o.out().contains("Done: 2 epochs, 6 steps"), o.out());

    o = train(one, 2, "--replicas", "3"); // 8 rows split 2, 3, 3
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("Replicas: 3 on /device:CPU:0, /device:CPU:1, /device:CPU:2, 2 to 3 examples each"), o.out());
    assertTrue(o.out().contains("Resumed from " + one.resolve("training_checkpoints/ckpt-1") + ": epoch 1 done, step 3"),
        o.out());
    assertTrue(o.out().contains("Done: 2 epochs, 6 steps"), o.out());
    header(two, 2);
    header(one, 2);
  }

  /** Each bad combination: a usage error naming the option, what was expected and what was given; no run directory. */
  private static void refused(String expected, String... extra) {
    Path run = dir.resolve("refused");
    List<String> args = new ArrayList<>(List.of("train", "--preset", "gan-tf1", "--steps", "2", "--run-dir", run.toString()));
    args.addAll(List.of(extra));
    CommandLineTest.Outcome o = CommandLineTest.run(args.toArray(String[]::new));
    assertEquals(Command.USAGE_ERROR, o.status(), o.out() + o.err());
    assertTrue(o.err().contains(expected), o.err());
    assertFalse(Files.exists(run), "nothing written: " + o.err());
  }

  @Test
  void badValuesAreUsageErrorsThatWriteNothing() {
    refused("--replicas: expected an integer >= 1, got 0", "--replicas", "0");
    refused("--sync-bn: expected --replicas 2 or more to synchronise BatchNorm across, got --replicas 1", "--sync-bn");
    refused("--replicas 2: --batch-size 1 cannot be split among 2 replicas: expected a batch of at least one example per "
        + "replica", "--replicas", "2", "--batch-size", "1");
    // MNIST's 60000 = 8571 * 7 + 3: with --batch-size 7 each epoch ends on a batch of 3 rows, one short for 4 replicas.
    refused("--replicas 4: the last batch of each epoch holds 3 of the 60000 examples and cannot be split among 4 replicas",
        "--replicas", "4", "--batch-size", "7");
    refused("--steps-per-run with --replicas: expected --steps-per-run 1 for a replicated step", "--replicas", "2",
        "--steps-per-run", "2");
  }

  /** The multi-worker options, refused before a server starts or anything is written. */
  @Test
  void badClusterOptionsAreUsageErrorsThatWriteNothing() {
    refused("--task: expected --cluster as well", "--task", "1");
    refused("--cluster: expected --task I as well", "--cluster", "127.0.0.1:1,127.0.0.1:2");
    refused("--cluster: expected HOST:PORT, got '' (no HOST:PORT separator)", "--cluster", "127.0.0.1:1,", "--task", "0");
    refused("--task: expected a task index from 0 to 1", "--cluster", "127.0.0.1:1,127.0.0.1:2", "--task", "2");
    refused("--worker-timeout: expected --cluster (or TF_CONFIG) as well", "--worker-timeout", "30");
    refused("--worker-timeout: expected an integer >= 1, got 0", "--cluster", "127.0.0.1:1,127.0.0.1:2", "--task", "0",
        "--worker-timeout", "0");
    refused("--steps-per-run with --cluster: expected --steps-per-run 1", "--cluster", "127.0.0.1:1,127.0.0.1:2", "--task",
        "0", "--steps-per-run", "2");
    // 8 rows for 3 workers of 3 replicas each: 9 replicas in all.
    refused("--cluster of 3 workers, --replicas 3: --batch-size 8 cannot be split among 9 replicas", "--cluster",
        "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3", "--task", "1", "--replicas", "3", "--batch-size", "8");
  }

  /**
   * The trust boundary: a worker address outside the private ranges is refused before any server
   * starts, naming the worker, the host and why; {@code --unsafe-public-cluster} accepts it (the
   * same command then gets as far as the next check, the batch split, so nothing else stopped it).
   */
  @Test
  void publicWorkerAddressesAreRefusedUnlessTheUserSaysTheNetworkIsTrusted() {
    refused("--cluster: worker 1's host '8.8.8.8' (8.8.8.8:2) is 8.8.8.8, a public address, outside the trusted ranges",
        "--cluster", "127.0.0.1:1,8.8.8.8:2", "--task", "0");
    refused("pass --unsafe-public-cluster", "--cluster", "10.1.2.3:1,[2001:4860:4860::8888]:2", "--task", "0");
    refused("--cluster: worker 0's host 'no-such-host.invalid' (no-such-host.invalid:1) does not resolve",
        "--cluster", "no-such-host.invalid:1,127.0.0.1:2", "--task", "1", "--unsafe-public-cluster");
    refused("--unsafe-public-cluster: expected --cluster (or TF_CONFIG) as well", "--unsafe-public-cluster");
    refused("--cluster of 3 workers, --replicas 3: --batch-size 8 cannot be split among 9 replicas", "--cluster",
        "8.8.8.8:1,127.0.0.1:2,127.0.0.1:3", "--task", "1", "--replicas", "3", "--batch-size", "8", "--unsafe-public-cluster");
  }
}
