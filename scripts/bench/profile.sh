#!/usr/bin/env bash
# Where a preset's training step spends its time, in Java and in its seed's Python, op type by op type:
#   bash scripts/bench/profile.sh PRESET          (e.g. dcgan-mnist; THREADS=2, TF_ENABLE_ONEDNN_OPTS=1)
#   WARMUP=3 STEPS=10 BATCH=256 THREADS=2 bash scripts/bench/profile.sh dcgan-mnist
# 1. Java (io.jgan.bench.StepProfile): the step TrainStepBenchmark times (same graph, batches
#    prefetched, same fetches), WARMUP runs, STEPS untraced (wall time), then STEPS with
#    RunOptions.trace_level=FULL_TRACE: every node's compute time from the RunMetadata step stats, its
#    op type from the partition graphs (grappler's and oneDNN's rewrites applied).
# 2. Python (scripts/bench/profile.py step): the tf.function python_bench.py times, the same way,
#    traced by tf.profiler (host tracer: every op kernel's run), its graphs from the eager run metadata.
# 3. The table (profile.py table): per op type, runs and milliseconds per step on each side (each
#    node's median run times its runs per step), the difference, largest Java excess first; the op
#    types run on one side only; the graph sizes. DETAIL=N also lists the nodes of the first N types.
# Both sides get the same batch, thread counts (THREADS bounds the intra- and inter-op pools) and
# oneDNN setting. The CONDITIONS line names the CPU and the load: op times are wall times, so other
# work on the machine inflates them (the medians keep a preempted run from counting).
# The two JSON files and the table are kept in $OUT (default /tmp/jgan-profile-PRESET-DATE).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
preset="${1:?usage: profile.sh PRESET (dcgan-mnist, dcgan-fashion, gan-mlp, gan-tf1, dcgan-flux, dcgan-lego, wgan-gp, cwgan-gp)}"
threads="${THREADS:-2}"
declare -A BATCHES=([dcgan-mnist]=256 [dcgan-fashion]=256 [gan-mlp]=128 [gan-tf1]=128 [dcgan-flux]=128 [dcgan-lego]=128 [wgan-gp]=512 [cwgan-gp]=128)
declare -A STEPSOF=([dcgan-mnist]=10 [dcgan-fashion]=10 [gan-mlp]=40 [gan-tf1]=200 [dcgan-flux]=10 [dcgan-lego]=5 [wgan-gp]=2 [cwgan-gp]=3)
if [ -z "${BATCHES[$preset]:-}" ]; then
  echo "profile.sh: unknown preset $preset; expected one of ${!BATCHES[*]}" >&2
  exit 1
fi
batch="${BATCH:-${BATCHES[$preset]}}"
steps="${STEPS:-${STEPSOF[$preset]}}"
warmup="${WARMUP:-3}"
out="${OUT:-/tmp/jgan-profile-$preset-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
export TF_CPP_MIN_LOG_LEVEL=2
venv="$(bash scripts/parity/setup.sh)"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
bash scripts/fetch-data.sh >/dev/null

{
  echo "CONDITIONS preset=$preset batch=$batch warmup=$warmup steps=$steps threads=$threads TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS cores=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" flags=\"$(grep -m1 -o 'avx512f\|amx_tile\|avx2' /proc/cpuinfo | sort -u | xargs)\" load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" date=$(date -Iseconds)"
  java -cp "$cp" io.jgan.bench.StepProfile "$preset" "$batch" "$warmup" "$steps" "$threads" "$out/java.json"
  "$venv/bin/python" scripts/bench/profile.py step --preset "$preset" --batch "$batch" --warmup "$warmup" \
    --steps "$steps" --threads "$threads" --data-dir "$root/data" --out "$out/python.json" 2>&1 \
    | grep -v -i "warning\|autograph\|do_not_convert\|super().__init__\|^$"
  echo "CONDITIONS end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" date=$(date -Iseconds)"
} 2>&1 | grep -v "^WARNING: All log\|^I0000\|^W0000" | tee "$out/log.txt"
echo
"$venv/bin/python" scripts/bench/profile.py table "$out/java.json" "$out/python.json" --detail "${DETAIL:-0}" | tee "$out/table.md"
echo "(files: $out)"
