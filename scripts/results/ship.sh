#!/usr/bin/env bash
# Trains one preset to its seed's full length and ships the result the way savedmodels/dcgan-mnist
# ships: the export, a sample grid, the run's GIF, metrics.csv and quality plot, and an evaluation of
# 10,000 samples.
#   bash scripts/results/ship.sh PRESET [TRAIN OPTIONS...]
#   e.g. bash scripts/results/ship.sh gan-mlp
#        bash scripts/results/ship.sh cwgan-gp --dataset mnist --epochs 5
# Seed 42 (train's default), every checkpoint kept. Rerunning the command resumes the training where it
# stopped (Ctrl-C, SIGTERM, a new sitting) and then writes the shipped files again, with this checkout's code. The run lives in
# ${RESULTS_DIR:-runs/results}/ship/PRESET; RUN_DIR=DIR ships a run trained elsewhere instead (the
# dcgan-fashion run of seed000.sh), without training it further.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
preset="${1:?usage: ship.sh PRESET [TRAIN OPTIONS...]}"; shift
run="${RUN_DIR:-$results/ship/$preset}"
if [ -z "${RUN_DIR:-}" ]; then
  jgan_train train --preset "$preset" --keep 0 --threads "$threads" --run-dir "$run" "$@" \
    | grep --line-buffered -E "^Time for epoch|^Done|^Saved|^Iter|^Train step" >&2
fi
model="savedmodels/$preset"
jgan export --run-dir "$run" --out "$model" --overwrite >&2
jgan generate --model "$model" --seed 0 --out "$model-samples.png" >&2
gif="$(ls "$run"/*.gif | head -1)"
cp "$gif" "$model.gif"
cp "$run/metrics.csv" "$model-metrics.csv"
cp "$run/quality.png" "$model-quality.png"
jgan evaluate --model "$model" --threads "$threads" --out "$model-evaluation.json" --overwrite >&2
du -sh "$model" "$model"* >&2
