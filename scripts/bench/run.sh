#!/usr/bin/env bash
# The same dcgan-mnist work in Java and in the seed's Python, in one run on this machine:
#   bash scripts/bench/run.sh            (THREADS=2 TF_ENABLE_ONEDNN_OPTS=0 STEPS=30 by default)
# 1. a large float32 MatMul through TensorFlow (what this CPU does), 2. the training step at batch
# 256 (Java: TrainStepBenchmark; Python: the seed's @tf.function over tf.data), both after warm-up,
# 3. generating 10,000 images from the exported savedmodels/dcgan-mnist (Java SavedModelBundle vs
# Python tf.saved_model.load). Both sides get the same thread counts and oneDNN setting.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads="${THREADS:-2}"
steps="${STEPS:-30}"
warmup="${WARMUP:-5}"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-0}"
export TF_CPP_MIN_LOG_LEVEL=2
venv="$(bash scripts/parity/setup.sh)"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
bash scripts/fetch-data.sh mnist >/dev/null
model="${MODEL:-savedmodels/dcgan-mnist}"
echo "threads $threads, TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS, batch 256, $warmup warm-up + $steps timed steps; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -cp "$cp" io.jgan.bench.MatMulBenchmark 4096 "$threads" 3 | tee /tmp/jgan-bench-matmul.txt
java -cp "$cp" io.jgan.bench.TrainStepBenchmark dcgan-mnist 256 "$warmup" "$steps" "$threads" | tee /tmp/jgan-bench-java.txt
"$venv/bin/python" scripts/bench/python_bench.py --threads "$threads" --warmup "$warmup" --steps "$steps" \
  --data-dir "$root/data" --model "$model" | tee /tmp/jgan-bench-python.txt
java -cp "$cp" io.jgan.bench.GenerateBenchmark "$model" 10000 500 | tee /tmp/jgan-bench-generate.txt
java_ips=$(grep -oP 'images per second: \K[0-9.]+' /tmp/jgan-bench-java.txt)
python_ips=$(grep -oP 'python train step: .*?, \K[0-9.]+(?= images/s)' /tmp/jgan-bench-python.txt)
java_gen=$(grep -oP 'java generate: .*?, \K[0-9.]+(?= images/s)' /tmp/jgan-bench-generate.txt)
python_gen=$(grep -oP 'python generate: .*?, \K[0-9.]+(?= images/s)' /tmp/jgan-bench-python.txt)
echo
echo "training step, images/s: Java $java_ips, Python $python_ips, ratio Java/Python $(python3 -c "print(f'{$java_ips/$python_ips:.2f}')")"
echo "generation, images/s:    Java $java_gen, Python $python_gen, ratio Java/Python $(python3 -c "print(f'{$java_gen/$python_gen:.2f}')")"
