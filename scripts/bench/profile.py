"""The Python half of scripts/bench/profile.sh, and the side-by-side table.

step:  the preset's Python step, the very tf.function that scripts/bench/python_bench.py times
       (build_step: the seed's Keras models, tf.data batches prefetched), run --warmup times, then
       --steps times untraced (its wall time) and --steps times under tf.profiler (host tracer level 3:
       every op kernel's run, as `node:type` trace events). Writes, as JSON in the form of
       io.jgan.bench.StepProfile's: every executed node of the step with its op type, runs and total
       compute time; and the sizes of the function's graphs (before and after grappler, and the
       partition graphs the executor ran, whose op types are the oneDNN-rewritten ones). The graphs
       come from the eager context's run metadata, recorded while the function is first instantiated.
table: JAVA.json PYTHON.json -> a Markdown table per op type: runs and milliseconds per step on each
       side and the difference, largest Java excess first; the op types found on one side only; the
       graph sizes; the wall times (traced and not) and the sum of op times per side.
"""
import argparse
import collections
import glob
import json
import os
import sys
import tempfile
import time


def step_profile(args):
    import tensorflow as tf
    if args.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    from tensorflow.python.eager import context
    from tensorflow.tsl.profiler.protobuf import xplane_pb2
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import python_bench

    batch, iterator, train_step = python_bench.build_step(args.preset, args.batch, args.data_dir)

    windows = []  # (start, end) of each run, epoch nanoseconds (the trace's clock)

    def run():
        start = time.perf_counter()
        windows.append(time.time_ns())
        x, y = next(iterator)
        train_step(x, y)[0].numpy()  # as python_bench: wait for the step
        windows[-1] = (windows[-1], time.time_ns())
        return (time.perf_counter() - start) * 1e3

    ctx = context.context()
    ctx.enable_run_metadata()  # the graphs are recorded when the function is instantiated: its first call
    run()
    metadata = ctx.export_run_metadata()
    ctx.disable_run_metadata()
    # The step is the largest function run (tf.data's map functions are not recorded, but be sure).
    graphs = max(metadata.function_graphs, key=lambda g: sum(len(p.node) for p in g.partition_graphs))
    ops = {}
    graph_ops = collections.Counter()
    graph_nodes = {'pre-grappler': len(graphs.pre_optimization_graph.node),
                   'post-grappler': len(graphs.post_optimization_graph.node)}
    stem = os.path.splitext(args.out)[0]  # the graphs as text beside the JSON, to read what grappler made
    for name, g in (('pre-grappler', graphs.pre_optimization_graph), ('post-grappler', graphs.post_optimization_graph)):
        with open(f'{stem}-{name}.pbtxt', 'w') as f:
            f.write(str(g))
    for i, part in enumerate(graphs.partition_graphs):
        with open(f'{stem}-partition{i if len(graphs.partition_graphs) > 1 else ""}.pbtxt', 'w') as f:
            f.write(str(part))
        graph_nodes['partition' + (f'/{i}' if len(graphs.partition_graphs) > 1 else '')] = len(part.node)
        for n in part.node:
            ops[n.name] = n.op
            graph_ops[n.op] += 1

    for _ in range(max(0, args.warmup - 1)):
        run()
    cpu = time.process_time()
    untraced = sorted(run() for _ in range(args.steps))
    cpu = (time.process_time() - cpu) * 1e3 / args.steps
    logdir = tempfile.mkdtemp(prefix='jgan-profile-')
    options = tf.profiler.experimental.ProfilerOptions(host_tracer_level=3, python_tracer_level=0, device_tracer_level=0)
    tf.profiler.experimental.start(logdir, options=options)
    windows.clear()
    traced_ms = [run() for _ in range(args.steps)]
    traced = sorted(traced_ms)
    tf.profiler.experimental.stop()
    space = xplane_pb2.XSpace()
    with open(glob.glob(os.path.join(logdir, 'plugins', 'profile', '*', '*.xplane.pb'))[0], 'rb') as f:
        space.ParseFromString(f.read())
    # Line timestamps count from the profile's start, which the Task Environment plane gives in epoch ns.
    origin = next((s.uint64_value for plane in space.planes for s in plane.stats
                   if plane.stat_metadata[s.metadata_id].name == 'profile_start_time'), 0)
    micros = collections.defaultdict(list)  # node -> the duration of each run
    intervals = [[] for _ in windows]  # per traced step: (start, end) of each op run, nanoseconds
    for plane in space.planes:
        if plane.name != '/host:CPU':
            continue
        for line in plane.lines:
            for event in line.events:
                name, _, op = plane.event_metadata[event.metadata_id].name.partition(':')
                op = op.split('#')[0]
                if ops.get(name) == op:  # a node of the step's partition graph (not tf.data's, not the runtime's)
                    micros[name].append(event.duration_ps / 1e6)
                    start = origin + line.timestamp_ns + event.offset_ps // 1000
                    for k, (w0, w1) in enumerate(windows):
                        if w0 <= start <= w1:
                            intervals[k].append((start, start + event.duration_ps // 1000, name))
                            break
    timelines = [dict(wallMs=ms, **timeline(iv)) for ms, iv in zip(traced_ms, intervals)]
    first = min((a for a, _, _ in intervals[-1]), default=0)
    last_step = [dict(name=n, startMicros=(a - first) / 1e3, endMicros=(b - first) / 1e3) for a, b, n in sorted(intervals[-1])]
    profile = dict(side='python', preset=args.preset, batch=batch, threads=args.threads, steps=args.steps,
                   wallMsUntraced=median(untraced), wallMsTraced=median(traced), cpuMsUntraced=cpu, timelines=timelines,
                   lastStep=last_step,
                   nodes=[dict(name=n, op=ops[n], count=len(runs), totalMicros=sum(runs), medianMicros=median(runs))
                          for n, runs in micros.items()],
                   graphNodes=graph_nodes, graphOps=dict(sorted(graph_ops.items())))
    with open(args.out, 'w') as f:
        json.dump(profile, f, indent=1)
    print(f'python step profile: preset {args.preset}, batch {batch}, threads {args.threads}, {args.warmup} warm-up, '
          f'{args.steps} untraced + {args.steps} traced steps: median {profile["wallMsUntraced"]:.1f} ms untraced '
          f'(process CPU {cpu:.1f} ms per step), '
          f'{profile["wallMsTraced"]:.1f} ms traced; {len(micros)} nodes executed -> {args.out}')


def timeline(intervals):
    """spanMs (first start to last end), busyMs (at least one op running), parallelMs (at least two)."""
    if not intervals:
        return dict(spanMs=0.0, busyMs=0.0, parallelMs=0.0)
    edges = sorted([(iv[0], 1) for iv in intervals] + [(max(iv[0], iv[1]), -1) for iv in intervals])
    busy = parallel = 0
    open_ = 0
    last = edges[0][0]
    for t, d in edges:
        if open_ >= 1:
            busy += t - last
        if open_ >= 2:
            parallel += t - last
        open_ += d
        last = t
    return dict(spanMs=(edges[-1][0] - edges[0][0]) / 1e6, busyMs=busy / 1e6, parallelMs=parallel / 1e6)


def ops_of(profile):
    return {n['name']: n['op'] for n in profile['nodes']}


def ran_alone(profile):
    """The nodes of the last traced step by time during which no other op ran (ms), and the total."""
    runs = [(r['startMicros'], r['endMicros'], r['name']) for r in profile.get('lastStep') or []]
    edges = sorted([(a, 1, n) for a, b, n in runs] + [(max(a, b), -1, n) for a, b, n in runs],
                   key=lambda e: (e[0], e[1]))
    alone = collections.Counter()
    running = collections.Counter()
    last = edges[0][0] if edges else 0
    for t, d, n in edges:
        if sum(running.values()) == 1:
            alone[next(iter(+running))] += (t - last) / 1e3
        running[n] += d
        last = t
    return alone.most_common(), sum(alone.values())


def median(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def by_type(profile, mean=False):
    """op type -> [runs per step, ms per step, {node: ms per step}]; a node's time per step is the
    median of its runs times its runs per step (the mean with mean=True)."""
    steps = profile['steps']
    out = collections.defaultdict(lambda: [0.0, 0.0, {}])
    for n in profile['nodes']:
        row = out[n['op']]
        ms = (n['totalMicros'] / steps if mean else n['medianMicros'] * n['count'] / steps) / 1e3
        row[0] += n['count'] / steps
        row[1] += ms
        row[2][n['name']] = ms
    return out


def table(args):
    java, python = (json.load(open(p)) for p in (args.java, args.python))
    jt, pt = by_type(java, args.mean), by_type(python, args.mean)
    only_java = sorted(set(jt) - set(pt), key=lambda t: -jt[t][1])
    only_python = sorted(set(pt) - set(jt), key=lambda t: -pt[t][1])
    types = sorted(set(jt) | set(pt), key=lambda t: -(jt[t][1] - pt[t][1]))
    print(f'preset {java["preset"]}, batch {java["batch"]}, threads {java["threads"]}; {java["steps"]} traced steps a side '
          '(Java: RunOptions FULL_TRACE step stats; Python: tf.profiler host trace); per step, each node\'s '
          + ('mean run' if args.mean else 'median run') + ' times its runs per step:')
    print()
    print('| op type (after grappler and oneDNN rewrites) | Java runs | Java ms | Python runs | Python ms | Java - Python ms |')
    print('|---|---|---|---|---|---|')
    shown = 0
    for t in types:
        j, p = jt[t], pt[t]
        if abs(j[1] - p[1]) < args.min_ms and abs(j[0] - p[0]) < 0.5 and shown >= args.rows:
            continue
        shown += 1
        print(f'| {t} | {j[0]:g} | {j[1]:.2f} | {p[0]:g} | {p[1]:.2f} | {j[1] - p[1]:+.2f} |')
    jsum, psum = sum(v[1] for v in jt.values()), sum(v[1] for v in pt.values())
    print(f'| **all ops** | {sum(v[0] for v in jt.values()):g} | {jsum:.1f} | {sum(v[0] for v in pt.values()):g} | '
          f'{psum:.1f} | {jsum - psum:+.1f} |')
    print()
    print(f'(rows with |difference| under {args.min_ms} ms and the same runs left out past the first {args.rows})')
    print()
    print(f'Wall time per step, median: Java {java["wallMsUntraced"]:.1f} ms untraced, {java["wallMsTraced"]:.1f} traced; '
          f'Python {python["wallMsUntraced"]:.1f} ms untraced, {python["wallMsTraced"]:.1f} traced. '
          f'Java/Python (untraced, Python time over Java time): {python["wallMsUntraced"] / java["wallMsUntraced"]:.3f}. '
          f'Process CPU per untraced step: Java {java["cpuMsUntraced"]:.1f} ms, Python {python["cpuMsUntraced"]:.1f} ms.')
    print()
    print('Timeline of a traced step, medians in ms (span: first op start to last op end; busy: some op running; '
          '2+: two or more ops running at once; outside: wall - span, the call, feeding, fetching and scheduling '
          'before the first op and after the last):')
    print()
    print('| side | wall | span | busy | 2+ ops | idle in span | outside |')
    print('|---|---|---|---|---|---|---|')
    for side, prof in (('Java', java), ('Python', python)):
        tl = prof.get('timelines') or []
        if tl:
            m = {k: median([t[k] for t in tl]) for k in ('wallMs', 'spanMs', 'busyMs', 'parallelMs')}
            idle = median([t['spanMs'] - t['busyMs'] for t in tl])
            outside = median([t['wallMs'] - t['spanMs'] for t in tl])
            print(f'| {side} | {m["wallMs"]:.1f} | {m["spanMs"]:.1f} | {m["busyMs"]:.1f} | {m["parallelMs"]:.1f} | '
                  f'{idle:.1f} | {outside:.1f} |')
    print()
    print('Ran alone (the only op running; the other core does only what that op gives it), last traced step, ms:')
    for side, prof in (('Java', java), ('Python', python)):
        alone, total = ran_alone(prof)
        print(f'  {side}: {total:.1f} in all; ' + '; '.join(f'{n} ({ops_of(prof)[n]}) {ms:.1f}' for n, ms in alone[:8]))
    print()
    print('Op types run on one side only (runs, ms per step):')
    print('  Java only:   ' + (', '.join(f'{t} ({jt[t][0]:g}, {jt[t][1]:.2f})' for t in only_java) or 'none'))
    print('  Python only: ' + (', '.join(f'{t} ({pt[t][0]:g}, {pt[t][1]:.2f})' for t in only_python) or 'none'))
    print()
    print('Graph sizes (nodes): Java partition graphs (after grappler and the oneDNN rewrite) '
          + ', '.join(f'{k} {v}' for k, v in java['graphNodes'].items())
          + '; Python function ' + ', '.join(f'{k} {v}' for k, v in python['graphNodes'].items()))
    jo, po = java['graphOps'], python['graphOps']
    diff = sorted(set(jo) | set(po), key=lambda t: -abs(jo.get(t, 0) - po.get(t, 0)))
    diff = [t for t in diff if jo.get(t, 0) != po.get(t, 0)]
    print('Nodes per op type where the graphs differ (Java/Python): '
          + ', '.join(f'{t} {jo.get(t, 0)}/{po.get(t, 0)}' for t in diff[:args.rows]))
    if args.detail > 0:
        print()
        for t in types[:args.detail]:
            for side, rows in (('java', jt), ('python', pt)):
                nodes = sorted(rows[t][2].items(), key=lambda kv: -kv[1]) if t in rows else []
                print(f'{t} {side}: ' + ('; '.join(f'{n} {ms:.2f}' for n, ms in nodes[:8]) or '-'))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='what', required=True)
    s = sub.add_parser('step')
    s.add_argument('--preset', required=True)
    s.add_argument('--batch', type=int, default=0, help="0: the preset's")
    s.add_argument('--warmup', type=int, default=3)
    s.add_argument('--steps', type=int, default=5)
    s.add_argument('--threads', type=int, default=0)
    s.add_argument('--data-dir', default='data')
    s.add_argument('--out', required=True)
    t = sub.add_parser('table')
    t.add_argument('java')
    t.add_argument('python')
    t.add_argument('--rows', type=int, default=25, help='op types shown at least')
    t.add_argument('--min-ms', type=float, default=0.05)
    t.add_argument('--detail', type=int, default=0, help='list the nodes of the first N op types')
    t.add_argument('--mean', action='store_true', help='mean run time of each node instead of the median')
    args = parser.parse_args()
    step_profile(args) if args.what == 'step' else table(args)


if __name__ == '__main__':
    main()
