#!/usr/bin/env bash
# Whole-run parity of dcgan-mnist (a benchmark, not in CI; about 10 minutes per epoch per run on 2 cores):
#   bash scripts/parity/whole-run.sh [EPOCHS] [SEEDS] [COUNT]      (defaults 2, 3, 10000)
# Trains dcgan-mnist for EPOCHS epochs with SEEDS seeds in Java (the train command, exported) and in
# the seed 000 Python program, judges every run's COUNT samples with savedmodels/judge-mnist the
# same way (whole_run.py), and prints mean +- std per side and Welch's t-test per metric.
# Runs are kept in ${WHOLE_RUN_DIR:-/tmp/jgan-whole-run}: rerunning resumes the Java runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
epochs="${1:-2}"; seeds="${2:-3}"; count="${3:-10000}"
venv="$(bash scripts/parity/setup.sh)"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
bash scripts/fetch-data.sh mnist >&2
work="${WHOLE_RUN_DIR:-/tmp/jgan-whole-run}/e${epochs}"
mkdir -p "$work"
# A copy of the classes: the hour-long runs use one build even if the checkout is rebuilt meanwhile.
rm -rf "$work/classes" && cp -r target/classes "$work/classes"
classpath="$work/classes:$(cat target/classpath.txt)"
export TF_CPP_MIN_LOG_LEVEL=2
models=(); seed_list=()
for s in $(seq 1 "$seeds"); do
  run="$work/java-seed$s"
  echo "java seed $s: training $epochs epochs into $run" >&2
  java -cp "$classpath" io.jgan.cli.Main train --preset dcgan-mnist --epochs "$epochs" --seed "$s" \
    --eval-every 0 --run-dir "$run" | grep -E "^Time for epoch|^Done" >&2
  java -cp "$classpath" io.jgan.cli.Main export --run-dir "$run" --out "$run-model" --overwrite >&2
  models+=("$run-model"); seed_list+=("$s")
done
"$venv/bin/python" scripts/parity/whole_run.py --java-models "$(IFS=,; echo "${models[*]}")" \
  --seeds "$(IFS=,; echo "${seed_list[*]}")" --epochs "$epochs" --count "$count" --data-dir "$root/data" \
  --judge savedmodels/judge-mnist --out "$work/whole-run.json"
