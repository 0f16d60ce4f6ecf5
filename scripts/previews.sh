#!/usr/bin/env bash
# A short real run of every preset, and the last sample grid of each copied to savedmodels/previews/
# (what the README shows under "A short run of each preset"):
#   bash scripts/previews.sh [out-dir]
# Runs the compiled classes from a copy, so a build during the runs does not disturb them, with
# oneDNN on (TF_ENABLE_ONEDNN_OPTS=1) for speed. About 20 minutes on a 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-savedmodels/previews}"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
classes="$(mktemp -d)"
cp -r target/classes/. "$classes"
cp="$classes:$(cat target/classpath.txt)"
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1
folder="data/mnist64"
[ -f "$folder/list_attr_celeba.csv" ] || java -cp "$cp" io.jgan.cli.Main export-images --dataset mnist --out "$folder" --size 64
mkdir -p "$out"
run() { # preset, glob of the grids inside the run (the last in name order is kept), train options...
  local preset="$1" pattern="$2"; shift 2
  local dir="runs/preview-$preset"
  rm -rf "$dir"
  local started=$SECONDS
  java -cp "$cp" io.jgan.cli.Main train --preset "$preset" --run-dir "$dir" "$@" | grep -E "^Data:|Last step|Peak" || true
  local grid
  grid="$(cd "$dir" && ls $pattern | sort | tail -1)"
  cp "$dir/$grid" "$out/$preset.png"
  echo "$preset: $((SECONDS - started)) s, options: $*, grid $dir/$grid"
}
run gan-tf1 'out/*.png'
run gan-mlp 'gan_generated_image_epoch_*.png' --epochs 1
run dcgan-fashion 'image_at_epoch_*.png' --epochs 1 --steps-per-epoch 150
run dcgan-flux 'dcgan_steps_*.png' --epochs 1 --steps-per-epoch 150
run dcgan-lego 'generated_img_*.png' --epochs 1 --steps-per-epoch 40 --data "$folder"
run wgan-gp 'generated_img_*.png' --epochs 1 --steps-per-epoch 40 --batch-size 64 --data "$folder"
run cwgan-gp 'generated_img_*_label_7.png' --epochs 1 --steps-per-epoch 60 --dataset mnist
rm -rf "$classes"
