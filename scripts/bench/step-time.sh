#!/usr/bin/env bash
# Median seconds per training step and peak resident memory of a preset on real data.
#   bash scripts/bench/step-time.sh [preset] [batch] [warmup] [steps] [threads] [folder|-] [stepsPerRun] [inline|-] [replicas]
# Defaults: dcgan-mnist, the preset's batch size, 5 warm-up steps, 30 timed steps, TensorFlow's
# default thread count, MNIST (upscaled for the folder presets), the preset's steps per session run,
# batches prefetched as in training (inline: assembled in the timed step), one replica (N: the batch split
# among N towers on virtual CPU devices, as train --replicas N). Runs the compiled classes in a JVM of its own, so the memory figure is the
# benchmark's alone (not Maven's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
exec java -cp "target/classes:$(cat target/classpath.txt)" io.jgan.bench.TrainStepBenchmark "$@"
