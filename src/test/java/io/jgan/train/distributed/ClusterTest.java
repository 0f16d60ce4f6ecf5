package io.jgan.train.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster as --cluster/--task and as tf.distribute's TF_CONFIG give it, and what each refuses. */
class ClusterTest {
  @Test
  void commandLineAndTfConfigDescribeTheSameCluster() {
    Cluster fromFlags = Cluster.parse("host1:2222, host2:2223", 1);
    Cluster fromEnv = Cluster.fromTfConfig(
        "{\"cluster\": {\"worker\": [\"host1:2222\", \"host2:2223\"]}, \"task\": {\"type\": \"worker\", \"index\": 1}}", "TF_CONFIG");
    assertEquals(fromFlags, fromEnv);
    assertEquals(List.of("host1:2222", "host2:2223"), fromEnv.addresses());
    assertFalse(fromEnv.chief());
    assertTrue(Cluster.parse("host1:2222,host2:2223", 0).chief());
    assertEquals(1, Cluster.parse("host1:2222", 0).size()); // one worker, as tf.distribute allows
    assertEquals("host2:2223", fromEnv.address());
    assertEquals("/job:worker/task:1", fromEnv.deviceFilter());
    assertEquals("/job:worker/replica:0/task:0", fromEnv.groupLeader());
  }

  @Test
  void replicasOfEveryWorkerAreNumberedInTaskOrder() {
    Replication r = Replication.multiWorker(Cluster.parse("a:1,b:2,c:3", 2), 2, false, false, 30);
    assertEquals(4, r.firstReplica());
    assertEquals(6, r.totalReplicas());
    assertEquals("/job:worker/replica:0/task:2/device:CPU:1", r.device(1).toString());
    assertFalse(r.chief());
    assertTrue(r.multiWorker());
  }

  private static void refused(String expected, Runnable parse) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void badClustersAreRefusedSayingWhatWasExpected() {
    refused("expected at least 1 worker address HOST:PORT, got none", () -> Cluster.parse(" ", 0));
    refused("expected HOST:PORT, got '' (no HOST:PORT separator)", () -> Cluster.parse("a:1,", 0));
    refused("expected HOST:PORT, got 'b' (no HOST:PORT separator)", () -> Cluster.parse("a:1,b", 0));
    refused("expected HOST:PORT, got 'b:x' (no port number)", () -> Cluster.parse("a:1,b:x", 0));
    refused("expected HOST:PORT, got 'b:70000' (port 70000 outside 1..65535)", () -> Cluster.parse("a:1,b:70000", 0));
    refused("expected each worker address once, got a:1 twice", () -> Cluster.parse("a:1,a:1", 0));
    refused("--task: expected a task index from 0 to 1 (one per --cluster address), got 2", () -> Cluster.parse("a:1,b:2", 2));
    refused("TF_CONFIG: expected only a \"worker\" job (worker 0 is the chief), got \"chief\"", () -> Cluster.fromTfConfig(
        "{\"cluster\": {\"chief\": [\"a:1\"], \"worker\": [\"b:2\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "TF_CONFIG"));
    refused("TF_CONFIG: expected a task \"index\"", () -> Cluster.fromTfConfig(
        "{\"cluster\": {\"worker\": [\"a:1\", \"b:2\"]}, \"task\": {\"type\": \"worker\"}}", "TF_CONFIG"));
    refused("TF_CONFIG: expected task type \"worker\", got \"evaluator\"", () -> Cluster.fromTfConfig(
        "{\"cluster\": {\"worker\": [\"a:1\", \"b:2\"]}, \"task\": {\"type\": \"evaluator\", \"index\": 0}}", "TF_CONFIG"));
    refused("TF_CONFIG: expected JSON such as", () -> Cluster.fromTfConfig("{\"cluster\": [", "TF_CONFIG"));
    refused("TF_CONFIG: expected \"cluster\" and \"task\" entries", () -> Cluster.fromTfConfig("{}", "TF_CONFIG"));
  }
}
