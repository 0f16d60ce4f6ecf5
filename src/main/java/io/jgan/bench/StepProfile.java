package io.jgan.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.jgan.data.Batch;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.data.Prefetcher;
import io.jgan.gan.Preset;
import io.jgan.presets.Presets;
import io.jgan.run.TrainConfig;
import io.jgan.run.TrainingData;
import io.jgan.gan.Phase;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.distributed.Replication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * The Java half of {@code scripts/bench/profile.sh}: a preset's training step, built and fed as
 * {@link TrainStepBenchmark} builds and feeds it (batches prefetched, one session run per phase,
 * the same fetches), run {@code warmup} times, then {@code steps} times untraced (the step's wall
 * time) and {@code steps} times with {@code RunOptions.trace_level = FULL_TRACE}. From the traced
 * runs' {@code RunMetadata} it writes, as JSON: every executed node of the step with its op type
 * (from the partition graphs, i.e. after grappler and oneDNN's rewrites: {@code _MklConv2D}, not
 * {@code Conv2D}), how many times it ran and its total compute time (op start to op end); and the
 * size of the graphs the session ran (nodes per partition and per op type); also each traced step's
 * timeline (span, time with one and with two or more ops running) and the last step's op runs, which
 * show what ran alongside what. The partition graphs are written beside the JSON as text
 * ({@code java.json} -> {@code java-both.pbtxt}, one per distinct session run of the step).
 * {@code scripts/bench/profile.py} writes the same for the Python step and prints the two side by side.
 *
 * <p>{@code java ... io.jgan.bench.StepProfile preset batch warmup steps threads out.json}
 */
public final class StepProfile {
  private StepProfile() {}

  /**
   * One node of the step: its op type, the runs seen, their total compute time and the median of
   * one run (what the table uses: on a shared machine a preempted run inflates the total, not the median).
   */
  record NodeTime(String name, String op, long count, double totalMicros, double medianMicros) {}

  /**
   * One traced step's timeline: its wall time (the call, feeding and fetching included), the span
   * from its first op's start to its last op's end (summed over the step's session runs), the time
   * in that span with at least one op running and with at least two.
   */
  record StepTimeline(double wallMs, double spanMs, double busyMs, double parallelMs) {}

  /** One op run of the last traced step: its node, start and end in microseconds from the step's first op. */
  record OpRun(String name, double startMicros, double endMicros) {}

  /**
   * What the JSON file holds (field names are the ones profile.py reads and writes): median wall
   * times of the untraced and traced steps, process CPU time per untraced step, the traced steps'
   * timelines, the last traced step's op runs, every node's times, and the partition graphs' node
   * counts (per graph and per op type).
   */
  record Profile(String side, String preset, int batch, int threads, int steps, double wallMsUntraced,
      double wallMsTraced, double cpuMsUntraced, List<StepTimeline> timelines, List<OpRun> lastStep, List<NodeTime> nodes,
      Map<String, Integer> graphNodes, Map<String, Integer> graphOps) {}

  public static void main(String[] args) {
    if (args.length != 6) {
      throw new IllegalArgumentException("expected: preset batch warmup steps threads out.json, got "
          + String.join(" ", args));
    }
    Preset preset = Presets.get(args[0]);
    int batch = Integer.parseInt(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    Path out = Path.of(args[5]);
    if (steps < 1) {
      throw new IllegalArgumentException("expected at least 1 traced step, got " + steps);
    }
    Map<String, GraphDef> graphs = new LinkedHashMap<>();
    Profile profile = profile(preset, batch, warmup, steps, threads, graphs);
    Gson gson = new GsonBuilder().setPrettyPrinting().create();
    try {
      Files.writeString(out, gson.toJson(profile));
      // The partition graphs as text beside it (java.json -> java-both.pbtxt), to read what grappler made.
      String stem = out.getFileName().toString().replaceFirst("\\.json$", "");
      for (Map.Entry<String, GraphDef> g : graphs.entrySet()) {
        Files.writeString(out.resolveSibling(stem + "-" + g.getKey().replace('/', '-') + ".pbtxt"),
            g.getValue().toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf(Locale.ROOT, "java step profile: preset %s, batch %d, threads %d, %d warm-up, %d untraced + %d "
        + "traced steps: median %.1f ms untraced (process CPU %.1f ms per step), %.1f ms traced; %d nodes executed -> %s%n",
        preset.name(), batch, threads, warmup, steps, steps, profile.wallMsUntraced(), profile.cpuMsUntraced(),
        profile.wallMsTraced(), profile.nodes().size(), out);
  }

  /** Profiles the step ({@code graphs} receives its partition graphs by phase name). */
  static Profile profile(Preset preset, int batch, int warmup, int steps, int threads, Map<String, GraphDef> graphs) {
    // An MNIST stand-in for the folder presets, as TrainStepBenchmark without a folder.
    String dataset = preset.data().folderByDefault() ? Dataset.MNIST.dirName() : null;
    TrainConfig config = TrainConfig.defaults(preset).with(new TrainConfig.Overrides(null, null, null, batch, null, null,
        null, null, threads, null, dataset, null, null, null, null, null, false));
    TrainingData.Loaded data = TrainingData.load(preset, config, Path.of(Dataset.DEFAULT_DATA_DIR), null, System.out);
    Batches batches = new Batches(data.images(), preset.pixelScale(), batch, 1, data.classes());
    int perEpoch = batches.stepsPerEpoch() - 1; // full batches only
    Tracer tracer = new Tracer(graphs);
    double[] untraced = new double[steps];
    double[] traced = new double[steps];
    long[] cpu = new long[2];
    try (TrainingGraph<TFloat32> graph = TrainingGraph.float32(preset, 1, batch, data.classes(), false,
             Replication.local(1, false, false));
         Prefetcher prefetched = new Prefetcher(batches, perEpoch, Prefetcher.DEFAULT_DEPTH);
         Session session = graph.openSession(threads, false)) {
      graph.initialize(session);
      TrainStep step = graph.trainStep();
      long global = 0;
      for (int i = 0; i < warmup + 2 * steps; i++, global++) {
        boolean tracing = i >= warmup + steps;
        if (i == warmup) {
          cpu[0] = processCpuNanos();
        } else if (i == warmup + steps) {
          cpu[1] = processCpuNanos();
        }
        long start = System.nanoTime();
        if (tracing) {
          tracer.startStep();
        }
        try (Batch b = prefetched.batch(global / perEpoch, (int) (global % perEpoch))) {
          step.run(session, b, global, tracing ? tracer : TrainStep.Hooks.NONE);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (i >= warmup) {
          (tracing ? traced : untraced)[(i - warmup) % steps] = ms;
        }
        if (tracing) {
          tracer.endStep(ms);
        }
      }
    }
    List<NodeTime> nodes = new ArrayList<>();
    tracer.micros.forEach((name, runs) -> nodes.add(new NodeTime(name, tracer.opOf(name), runs.size(),
        runs.stream().mapToDouble(Double::doubleValue).sum(), median(runs.stream().mapToDouble(Double::doubleValue).toArray()))));
    return new Profile("java", preset.name(), batch, threads, steps, median(untraced), median(traced),
        (cpu[1] - cpu[0]) / 1e6 / steps, tracer.timelines, tracer.lastStep(), nodes,
        tracer.graphNodes, new TreeMap<>(tracer.graphOps));
  }

  /**
   * Asks every phase's run for a full trace; the first run of each distinct session run (phases that
   * share their update op, WGAN-GP's critic iterations, run the same graph) also for its partition graphs.
   */
  private static final class Tracer implements TrainStep.Hooks {
    /** Node name to the compute time of each of its runs, in microseconds. */
    final Map<String, List<Double>> micros = new LinkedHashMap<>();
    final Map<String, String> ops = new HashMap<>();
    final Map<String, Integer> graphNodes = new LinkedHashMap<>();
    final Map<String, Integer> graphOps = new HashMap<>();
    private final Map<String, String> labelOps = new HashMap<>();
    /** The update ops whose session run's partition graphs are recorded. */
    private final Set<String> graphsSeen = new HashSet<>();
    private final Map<String, GraphDef> graphs;
    final List<StepTimeline> timelines = new ArrayList<>();
    /** The current step's span, busy and parallel time so far, in nanoseconds. */
    private final long[] step = new long[3];
    /** The current step's op runs: node name and {start, end} in nanoseconds. */
    private final List<Map.Entry<String, long[]>> runs = new ArrayList<>();

    Tracer(Map<String, GraphDef> graphs) {
      this.graphs = graphs;
    }

    @Override
    public RunOptions options(int index, Phase phase) {
      return RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
          .setOutputPartitionGraphs(!graphsSeen.contains(phase.update().op().name())).build();
    }

    @Override
    public void metadata(int index, Phase phase, RunMetadata metadata) {
      if (metadata.getPartitionGraphsCount() > 0 && graphsSeen.add(phase.update().op().name())) {
        for (int p = 0; p < metadata.getPartitionGraphsCount(); p++) {
          GraphDef g = metadata.getPartitionGraphs(p);
          String key = phase.name() + (metadata.getPartitionGraphsCount() > 1 ? "/" + p : "");
          graphNodes.put(key, g.getNodeCount());
          graphs.put(key, g);
          for (NodeDef n : g.getNodeList()) {
            ops.put(n.getName(), n.getOp());
            graphOps.merge(n.getOp(), 1, Integer::sum);
          }
        }
      }
      List<long[]> intervals = new ArrayList<>();
      for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
        for (NodeExecStats s : device.getNodeStatsList()) {
          if (s.getAllStartNanos() > 0) {
            long[] iv = {s.getAllStartNanos() + s.getOpStartRelNanos(), s.getAllStartNanos() + s.getOpEndRelNanos()};
            intervals.add(iv);
            runs.add(Map.entry(s.getNodeName(), iv));
          }
          long nanos = s.getOpEndRelNanos() > 0 ? s.getOpEndRelNanos() - s.getOpStartRelNanos()
              : (s.getOpEndRelMicros() - s.getOpStartRelMicros()) * 1000;
          micros.computeIfAbsent(s.getNodeName(), k -> new ArrayList<>()).add(nanos / 1e3);
          // "name = Op(inputs)": the type when a node is missing from the partition graphs (a _SOURCE).
          String label = s.getTimelineLabel();
          int eq = label.indexOf(" = ");
          int paren = label.indexOf('(', eq + 3);
          if (eq >= 0 && paren > eq) {
            labelOps.put(s.getNodeName(), label.substring(eq + 3, paren));
          }
        }
      }
      long[] t = timeline(intervals);
      for (int k = 0; k < 3; k++) {
        step[k] += t[k];
      }
    }

    void startStep() {
      Arrays.fill(step, 0);
      runs.clear();
    }

    List<OpRun> lastStep() {
      long first = runs.stream().mapToLong(r -> r.getValue()[0]).min().orElse(0);
      return runs.stream().map(r -> new OpRun(r.getKey(), (r.getValue()[0] - first) / 1e3, (r.getValue()[1] - first) / 1e3))
          .sorted(Comparator.comparingDouble(OpRun::startMicros)).toList();
    }

    void endStep(double wallMs) {
      timelines.add(new StepTimeline(wallMs, step[0] / 1e6, step[1] / 1e6, step[2] / 1e6));
    }

    String opOf(String node) {
      return ops.getOrDefault(node, labelOps.getOrDefault(node, "?"));
    }
  }

  /**
   * Span (first start to last end), time with at least one interval open and with at least two,
   * of {@code intervals} ({start, end} pairs, in nanoseconds).
   */
  static long[] timeline(List<long[]> intervals) {
    if (intervals.isEmpty()) {
      return new long[3];
    }
    List<long[]> edges = new ArrayList<>(); // {time, +1 or -1}
    for (long[] iv : intervals) {
      edges.add(new long[] {iv[0], 1});
      edges.add(new long[] {Math.max(iv[0], iv[1]), -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long busy = 0;
    long parallel = 0;
    int open = 0;
    long last = edges.get(0)[0];
    for (long[] e : edges) {
      if (open >= 1) {
        busy += e[0] - last;
      }
      if (open >= 2) {
        parallel += e[0] - last;
      }
      open += (int) e[1];
      last = e[0];
    }
    return new long[] {edges.get(edges.size() - 1)[0] - edges.get(0)[0], busy, parallel};
  }

  /** CPU time of the whole process (every thread: TensorFlow's pools, the prefetcher, the JVM's own). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
