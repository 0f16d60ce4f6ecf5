#!/usr/bin/env bash
# Data-parallel scaling on this machine: a preset's training step with 1 replica, 2 replicas in one
# process (train --replicas 2), 1 worker process (the plain step through a TensorFlow server and a
# gRPC session, train --cluster with one address) and 2 worker processes on loopback (train
# --cluster, one replica each), one TensorFlow thread per replica; and the communication alone, the all-reduce of one
# step's gradients between 2 replicas and between 2 workers (io.jgan.bench.AllReduceBenchmark).
#   bash scripts/bench/scaling.sh                       (gan-tf1 and dcgan-mnist)
#   PRESETS=dcgan-mnist BATCH=256 STEPS=20 bash scripts/bench/scaling.sh
# Prints each measurement, then a Markdown table; raw lines in $OUT (default /tmp/jgan-scaling-DATE.txt).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
presets="${PRESETS:-gan-tf1,dcgan-mnist}"
out="${OUT:-/tmp/jgan-scaling-$(date +%Y%m%d-%H%M%S).txt}"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
export TF_CPP_MIN_LOG_LEVEL=2
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
bash scripts/fetch-data.sh >/dev/null
declare -A BATCHES=([gan-tf1]=128 [gan-mlp]=128 [dcgan-mnist]=256 [dcgan-fashion]=256)
declare -A STEPCOUNT=([gan-tf1]=300 [gan-mlp]=40 [dcgan-mnist]=15 [dcgan-fashion]=15)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Runs "$@ CLUSTER TASK" as two worker processes; prints worker 0's output, then worker 1's.
two_workers() {
  local cluster="127.0.0.1:$(free_port),127.0.0.1:$(free_port)" log1
  log1="$(mktemp)"
  java -cp "$cp" "$@" "$cluster" 1 > "$log1" 2>&1 &
  local other=$!
  java -cp "$cp" "$@" "$cluster" 0
  wait "$other"
  sed 's/^RESULT /RESULT-WORKER1 /' "$log1"
  rm -f "$log1"
}

{
  echo "CONDITIONS TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS cores=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" date=$(date -Iseconds)"
  for preset in ${presets//,/ }; do
    batch="${BATCH:-${BATCHES[$preset]:-128}}"
    steps="${STEPS:-${STEPCOUNT[$preset]:-20}}"
    warmup=$(( steps / 5 + 2 ))
    bench=(io.jgan.bench.TrainStepBenchmark "$preset" "$batch" "$warmup" "$steps")
    java -cp "$cp" "${bench[@]}" 1 - 1 prefetched 1 | sed 's/^RESULT /RESULT mode=one /'
    java -cp "$cp" "${bench[@]}" 2 - 1 prefetched 2 | sed 's/^RESULT /RESULT mode=replicas /'
    java -cp "$cp" "${bench[@]}" 1 - 1 prefetched 1 "127.0.0.1:$(free_port)" 0 | sed 's/^RESULT /RESULT mode=oneworker /'
    two_workers "${bench[@]}" 1 - 1 prefetched 1 | sed 's/^RESULT /RESULT mode=workers /'
    java -cp "$cp" io.jgan.bench.AllReduceBenchmark "$preset" 5 50
    two_workers io.jgan.bench.AllReduceBenchmark "$preset" 5 50
  done
  echo "CONDITIONS end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" date=$(date -Iseconds)"
} 2>&1 | grep -v "^WARNING: All log\|^I0000\|^E0000\|^W0000" | tee "$out"

python3 - "$out" <<'PY'
import re, sys
rows, comm = {}, {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    if line.startswith("RESULT mode="):
        rows.setdefault(kv["preset"], {})[kv["mode"]] = kv
    elif line.startswith("RESULT side=allreduce"):
        comm.setdefault(kv["preset"], {})[kv["mode"]] = float(kv["median_ms"])
print("\n| preset | batch | 1 replica ms/step | 2 replicas ms/step (speed-up) | 1 worker ms/step | 2 workers ms/step (speed-up) | gradients all-reduced per step | all-reduce, 2 replicas | all-reduce, 2 workers |")
print("|---|---|---|---|---|---|---|---|---|")
for p, r in rows.items():
    one = float(r["one"]["median_s"]) * 1e3
    cell = lambda m: "%.1f (%.2fx)" % (float(r[m]["median_s"]) * 1e3, one / (float(r[m]["median_s"]) * 1e3)) if m in r else "-"
    floats = [l for l in open(sys.argv[1]) if l.startswith("RESULT side=allreduce preset=%s " % p)]
    n = int(re.search(r"floats=(\d+)", floats[0]).group(1)) if floats else 0
    c = comm.get(p, {})
    print("| %s | %s | %.1f | %s | %s | %s | %.2f MB | %s | %s |" % (p, r["one"]["batch"], one, cell("replicas"), cell("oneworker"), cell("workers"),
          n * 4 / 1e6, "%.2f ms" % c["replicas"] if "replicas" in c else "-", "%.2f ms" % c["workers"] if "workers" in c else "-"))
PY
