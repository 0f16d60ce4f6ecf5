# Sourced by the scripts of scripts/results: the Python reference, the data, and one copy of the
# Java classes for every long run. The copy is made once, so a run resumed hours later uses the code
# it started with even if the checkout was rebuilt meanwhile (exact resume needs the same graph);
# delete ${RESULTS_DIR}/classes to train later runs with newer code.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
results="${RESULTS_DIR:-$root/runs/results}"
threads="${THREADS:-2}"
mkdir -p "$results"
venv="$(bash scripts/parity/setup.sh)"
bash scripts/fetch-data.sh >&2
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}" PYTHONPATH="$root/scripts/parity"
if [ ! -d "$results/classes" ]; then
  mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
  rm -rf "$results/classes.tmp"
  cp -r target/classes "$results/classes.tmp" && cp target/classpath.txt "$results/classes.tmp/classpath.txt"
  mv "$results/classes.tmp" "$results/classes"
fi
# jgan_train COMMAND [OPTIONS]: the command line on the copied classes (long runs), niced so that other work
# comes first; jgan COMMAND [OPTIONS]: on this checkout's build (exports, samples, evaluations: the current code).
jgan_train() { nice -n 19 java -cp "$results/classes:$(cat "$results/classes/classpath.txt")" io.jgan.cli.Main "$@"; }
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
jgan() { java -cp "$root/target/classes:$(cat "$root/target/classpath.txt")" io.jgan.cli.Main "$@"; }
