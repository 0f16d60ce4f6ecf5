#!/usr/bin/env bash
# Seed 000 in full, both sides: dcgan-fashion trained by jgan and the seed's Python program trained
# by Python TensorFlow, for EPOCHS epochs each with seed SEED on this machine, every epoch of both
# judged the same way (judge_runs.py). Hours of CPU (about 2.5 minutes per epoch per side on 2 cores):
#   bash scripts/results/seed000.sh [EPOCHS] [SEED] [java|python|judge|all]   (defaults 100, 42, all; 42 is the seed of every shipped model)
#   python3 scripts/results/seed000_report.py                (the plot and the verdict, when runs exist)
# Every part resumes: rerun the same command after a stop (Ctrl-C, SIGTERM, a reboot) and it goes on
# from the last checkpoint of each side; judged epochs are not judged again.
# Runs live in ${RESULTS_DIR:-runs/results}/seed000/{java,python}-seedSEED. THREADS (default 2) is
# TensorFlow's intra-op thread count on both sides; the runs are niced, so other work comes first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
epochs="${1:-100}"; seed="${2:-42}"
work="$results/seed000"
mkdir -p "$work"

java_run="$work/java-seed$seed"; python_run="$work/python-seed$seed"
part="${3:-all}"   # java, python, judge or all: the sides can train at once, one thread each
if [ "$part" = java ] || [ "$part" = all ]; then
  echo "seed000: Java dcgan-fashion, $epochs epochs, seed $seed -> $java_run" >&2
  jgan_train train --preset dcgan-fashion --epochs "$epochs" --seed "$seed" \
    --checkpoint-every 1 --keep 0 --threads "$threads" --run-dir "$java_run" | grep --line-buffered -E "^Time for epoch|^Done|^Resum" >&2
fi
if [ "$part" = python ] || [ "$part" = all ]; then
  echo "seed000: Python seed 000, $epochs epochs, seed $seed -> $python_run" >&2
  nice -n 19 "$venv/bin/python" scripts/results/seed000.py --run-dir "$python_run" --epochs "$epochs" --seed "$seed" \
    --threads "$threads" --data-dir "$root/data" >&2
fi
if [ "$part" = judge ] || [ "$part" = all ]; then
  echo "seed000: judging every epoch of both" >&2
  nice -n 19 "$venv/bin/python" scripts/results/judge_runs.py --judge savedmodels/judge-fashion-mnist \
    --data-dir "$root/data" "$java_run" "$python_run" >&2
fi
