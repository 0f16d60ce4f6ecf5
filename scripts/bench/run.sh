#!/usr/bin/env bash
# Every preset's training step in Java and in its seed's Python, side by side in one run on this
# machine, with generation and the CPU's MatMul rate:
#   bash scripts/bench/run.sh                      (all presets, THREADS=2, TF_ENABLE_ONEDNN_OPTS=1)
#   PRESETS=gan-tf1,gan-mlp THREADS=1 bash scripts/bench/run.sh
# 1. a 4096x4096 float32 MatMul through TensorFlow (what this CPU does), before and after the presets;
# 2. per preset, at its own batch size on the same real data (MNIST or Fashion-MNIST; the folder
#    presets on MNIST resized to 64x64, gray or RGB; cwgan-gp on MNIST's 10 classes): the Java step
#    (io.jgan.bench.TrainStepBenchmark: batches prefetched as in training) and then the seed's step
#    in Python (scripts/bench/python_bench.py: the Keras models of scripts/parity/refs.py in one
#    tf.function over prefetched tf.data batches), each after warm-up;
# 3. generating images from savedmodels/dcgan-mnist (Java SavedModelBundle vs Python
#    tf.saved_model.load), each batch read into a Java array / numpy array.
# Both sides get the same thread counts (THREADS bounds the intra- and inter-op pools; 0 for
# TensorFlow's default) and oneDNN setting. Prints every measurement, then a Markdown table
# (scripts/bench/table.py); the raw lines are kept in $OUT (default /tmp/jgan-bench-DATE.txt).
# Other settings: STEPS_PER_RUN (Java steps per session run; default each preset's), JAVA_BATCHES=inline
# (Java assembles each batch inside the timed step, as this benchmark did before it prefetched), SCALE
# (multiplies every preset's timed steps, default 1), BATCH_<preset, - as _> (e.g. BATCH_wgan_gp=128),
# MODEL (the SavedModel generation reads).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads="${THREADS:-2}"
presets="${PRESETS:-dcgan-mnist,dcgan-fashion,gan-mlp,gan-tf1,dcgan-flux,dcgan-lego,wgan-gp,cwgan-gp}"
scale="${SCALE:-1}"
model="${MODEL:-savedmodels/dcgan-mnist}"
out="${OUT:-/tmp/jgan-bench-$(date +%Y%m%d-%H%M%S).txt}"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
export TF_CPP_MIN_LOG_LEVEL=2
venv="$(bash scripts/parity/setup.sh)"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
bash scripts/fetch-data.sh >/dev/null

# Warm-up and timed steps per preset, sized to their step times (a few seconds to a minute per side).
declare -A WARMUP=([dcgan-mnist]=3 [dcgan-fashion]=3 [gan-mlp]=5 [gan-tf1]=20 [dcgan-flux]=3 [dcgan-lego]=2 [wgan-gp]=1 [cwgan-gp]=1)
declare -A STEPS=([dcgan-mnist]=20 [dcgan-fashion]=20 [gan-mlp]=60 [gan-tf1]=400 [dcgan-flux]=20 [dcgan-lego]=10 [wgan-gp]=3 [cwgan-gp]=6)
declare -A BATCH=([dcgan-mnist]=256 [dcgan-fashion]=256 [gan-mlp]=128 [gan-tf1]=128 [dcgan-flux]=128 [dcgan-lego]=128 [wgan-gp]=512 [cwgan-gp]=128)

{
  echo "CONDITIONS threads=$threads TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS cores=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" date=$(date -Iseconds)"
  java -cp "$cp" io.jgan.bench.MatMulBenchmark 4096 "$threads" 5
  for preset in ${presets//,/ }; do
    var="BATCH_${preset//-/_}"
    batch="${!var:-${BATCH[$preset]}}"
    warmup="${WARMUP[$preset]}"
    steps=$(( ${STEPS[$preset]} * scale ))
    java -cp "$cp" io.jgan.bench.TrainStepBenchmark "$preset" "$batch" "$warmup" "$steps" "$threads" - \
      "${STEPS_PER_RUN:-0}" "${JAVA_BATCHES:-prefetched}"
    "$venv/bin/python" scripts/bench/python_bench.py step --preset "$preset" --batch "$batch" --warmup "$warmup" \
      --steps "$steps" --threads "$threads" --data-dir "$root/data" 2>&1 | grep -v -i "warning\|autograph\|do_not_convert\|^$"
  done
  java -cp "$cp" io.jgan.bench.GenerateBenchmark "$model" 10000 500 100 "$threads" 5
  "$venv/bin/python" scripts/bench/python_bench.py generate --model "$model" --count 10000 --generate-batch 500 \
    --repeats 5 --threads "$threads"
  java -cp "$cp" io.jgan.bench.MatMulBenchmark 4096 "$threads" 5
  echo "CONDITIONS end load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" date=$(date -Iseconds)"
} 2>&1 | grep -v "^WARNING: All log\|^I0000\|^E0000\|^W0000" | tee "$out"
echo
python3 scripts/bench/table.py "$out"
echo "(raw results: $out)"
