#!/usr/bin/env bash
# Every parity check for every preset (and examples/conditional-gan, a program's own GAN), against real
# Python TensorFlow:
#   bash scripts/parity/run.sh [preset,preset,...]
#   bash scripts/parity/run.sh --mutate NAME:PRESET,...   (the float64 check must fail on each mutation)
#   bash scripts/parity/run.sh --java-mutants NAME:PRESET,...   (the same for mutants of the Java side;
#       NAME 'all' or 'checked' for every one a preset has; scripts/parity/mutants.sh makes the table)
# Sets up the pinned Python reference (setup.sh), compiles the Java side if needed, fetches the
# data, runs parity.py and prints one table. Exit status: 0 all pass, 1 a check failed (or, with
# --mutate, a mutation went undetected), 3 Python cannot be set up on this machine.
# oneDNN is set the same way on both sides: as TF_ENABLE_ONEDNN_OPTS says, else off.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv="$(bash scripts/parity/setup.sh)" || exit $?
if [ -z "${JGAN_CLASSPATH:-}" ]; then
  mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
  JGAN_CLASSPATH="target/classes:$(cat target/classpath.txt)"
fi
# A GAN defined outside the catalogue, by a program (examples/conditional-gan): compiled against the
# classes under test, its class on the driver's classpath, so that it is checked as the presets are.
work="$(mktemp -d "${TMPDIR:-/tmp}/jgan-parity-XXXXXX")"
trap 'rm -rf "$work"' EXIT
javac -d "$work/examples" -cp "$JGAN_CLASSPATH" examples/conditional-gan/ConditionalGan.java
JGAN_CLASSPATH="$JGAN_CLASSPATH:$work/examples"
bash scripts/fetch-data.sh mnist >&2
bash scripts/fetch-data.sh fashion-mnist >&2
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-0}"
export TF_CPP_MIN_LOG_LEVEL=2
args=()
if [ "${1:-}" = "--mutate" ]; then
  args=(--mutate "$2")
elif [ "${1:-}" = "--java-mutants" ]; then
  args=(--java-mutants "$2")
elif [ $# -gt 0 ]; then
  args=(--presets "$1")
fi
echo "parity: TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS on both sides"
"$venv/bin/python" scripts/parity/parity.py --work "$work" --classpath "$JGAN_CLASSPATH" --data-dir "$root/data" "${args[@]}"
