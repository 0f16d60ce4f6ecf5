#!/usr/bin/env bash
# For a user with a CUDA machine (CUDA 12, cuDNN 9; TensorFlow Java's GPU natives come with mvn -Pgpu):
# checks jgan's GPU path the way the suite checks its CPU path. This project's machines have no GPU,
# so this script is how the GPU path gets verified; the test suite does not run it.
#   bash scripts/gpu-check.sh            (any cwd)
# 1. The parity table on GPU 0 (JGAN_PARITY_DEVICE=gpu): every preset's float64 training steps, run
#    by Java on the GPU, against the seed's Python reference in float64, per tensor to 1e-9 (the same
#    rule as on the CPU: float64 leaves room for any order of sums, a wrong kernel is off by far more);
#    the float32 forward passes to 1e-5. TF32 is turned off (NVIDIA_TF32_OVERRIDE=0): on Ampere and
#    newer GPUs TensorFlow would otherwise round float32 matrix products to 10-bit mantissas, which is
#    a different computation, not a bug.
# 2. With two or more GPUs: ReplicasTest with its towers on GPU:0 and GPU:1 (JGAN_REPLICAS_DEVICE=gpu,
#    the NCCL-hinted all-reduce) against one device, float64, to 1e-9; then a short `train --replicas 2
#    --device gpu` on real MNIST; then two worker processes on loopback (`train --cluster`), one GPU
#    each (CUDA_VISIBLE_DEVICES), their all-reduce across processes NCCL-hinted, which must both finish.
# Exit status: 0 every check passed, 1 a check failed, 2 no usable GPU.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NVIDIA_TF32_OVERRIDE=0
export TF_CPP_MIN_LOG_LEVEL=2
mvn -q -B -Pgpu compile dependency:build-classpath -Dmdep.outputFile=target/classpath-gpu.txt >/dev/null
cp="target/classes:$(cat target/classpath-gpu.txt)"

probe="$(java -cp "$cp" io.jgan.run.Devices 2>/dev/null | tail -1 || true)"   # prints gpus=N
if [[ "$probe" != "gpus="* || "$probe" == "gpus=0" ]]; then
  echo "gpu-check: no usable GPU with the -Pgpu build (${probe:-probe failed}); nothing checked" >&2
  exit 2
fi
gpus="${probe#gpus=}"
echo "gpu-check: $gpus usable GPU(s)"

status=0
echo "== 1. parity on GPU 0 (float64 steps to 1e-9, float32 forward to 1e-5)"
JGAN_CLASSPATH="$cp" JGAN_PARITY_DEVICE=gpu bash scripts/parity/run.sh || status=1

if (( gpus >= 2 )); then
  echo "== 2. replicas on GPU:0 and GPU:1 against one device (ReplicasTest, float64, 1e-9)"
  JGAN_REPLICAS_DEVICE=gpu mvn -q -B -Pgpu test -Dtest=ReplicasTest -Dsurefire.failIfNoSpecifiedTests=false || status=1
  run="$(mktemp -d)/replicas"
  java -cp "$cp" io.jgan.cli.Main train --replicas 2 --sync-bn --device gpu --steps 20 --eval-every 0 \
    --run-dir "$run" || status=1
  cluster="127.0.0.1:23456,127.0.0.1:23457"
  workers="$(mktemp -d)/workers"
  CUDA_VISIBLE_DEVICES=1 java -cp "$cp" io.jgan.cli.Main train --cluster "$cluster" --task 1 --sync-bn --device gpu \
    --steps 20 --eval-every 0 --run-dir "$workers" > "$workers.task1.log" 2>&1 &
  other=$!
  CUDA_VISIBLE_DEVICES=0 java -cp "$cp" io.jgan.cli.Main train --cluster "$cluster" --task 0 --sync-bn --device gpu \
    --steps 20 --eval-every 0 --run-dir "$workers" || status=1
  wait "$other" || { status=1; cat "$workers.task1.log"; }
else
  echo "== 2. replicas on GPUs: skipped, $gpus GPU found (needs 2)"
fi
echo "gpu-check: $([[ $status == 0 ]] && echo PASSED || echo FAILED)"
exit $status
