#!/usr/bin/env bash
# A fingerprint of what every preset computes: a few steps of each, fixed seed, on real data, and
# the SHA-256 of every file they write (checkpoints, losses, grids, metrics; not TensorBoard event
# files and checkpoint state files, which hold wall-clock times). The image folder of the folder presets
# is made once in ${FINGERPRINT_DATA:-/tmp/jgan-fingerprint-data}, the same path for every fingerprint, since
# the runs' configurations (and so their checkpoints) record it. A refactoring that must not change any number prints the same
# lines before and after:
#   bash scripts/dev/fingerprint.sh OUT_DIR > before.txt   (then change the code)
#   bash scripts/dev/fingerprint.sh OUT_DIR2 > after.txt && diff before.txt after.txt
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${1:?usage: fingerprint.sh OUT_DIR}"
mkdir -p "$out"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="target/classes:$(cat target/classpath.txt)"
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1
folder="${FINGERPRINT_DATA:-/tmp/jgan-fingerprint-data}/mnist64"
mkdir -p "$(dirname "$folder")"
if [ ! -f "$folder/list_attr_celeba.csv" ]; then
  java -cp "$cp" io.jgan.cli.Main export-images --dataset mnist --out "$folder" --size 64 --limit 256 >/dev/null
fi
run() {
  local name="$1"; shift
  java -cp "$cp" io.jgan.cli.Main train --seed 7 --threads 1 --steps-per-epoch 3 --epochs 2 --checkpoint-every 1 \
    --keep 0 --eval-every 1 --run-dir "$out/$name" --cache-dir "$out/cache" "$@" >"$out/$name.log" 2>&1 \
    || { echo "$name failed:"; tail -5 "$out/$name.log"; exit 1; }
}
run dcgan-mnist --preset dcgan-mnist --batch-size 16
run dcgan-fashion --preset dcgan-fashion --batch-size 16
run gan-mlp --preset gan-mlp --batch-size 16
run gan-tf1 --preset gan-tf1 --batch-size 16
run dcgan-flux --preset dcgan-flux --batch-size 16
run dcgan-lego --preset dcgan-lego --data "$folder" --batch-size 8
run wgan-gp --preset wgan-gp --data "$folder" --batch-size 8
run cwgan-gp --preset cwgan-gp --dataset mnist --batch-size 8
run cwgan-gp-csv --preset cwgan-gp --data "$folder" --label-csv "$folder/list_attr_celeba.csv" --label digit_1 --batch-size 8
run gan-tf1-unrolled --preset gan-tf1 --batch-size 16 --steps-per-run 3
(cd "$out" && find . -path ./cache -prune -o -type f ! -name '*.log' ! -name 'events.out.tfevents.*' \
  ! -name '.lock' ! -name checkpoint -print | sort | xargs sha256sum)
