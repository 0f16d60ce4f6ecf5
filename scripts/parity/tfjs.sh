#!/usr/bin/env bash
# TensorFlow.js as a consumer of jgan's exports (a check to run by hand; not in mvn test):
#   bash scripts/parity/tfjs.sh [MODEL_DIR ...]        (default: savedmodels/dcgan-mnist)
# Builds once, in ${JGAN_CACHE:-~/.cache/jgan}, a Python environment with the TensorFlow.js converter
# beside TensorFlow 2.18 (scripts/parity/tfjs/requirements.txt, installed with --no-deps: pip cannot
# resolve it by itself) and npm's @tensorflow/tfjs 4.22.0; converts each model with
# tensorflowjs_converter --input_format=tf_saved_model, runs it in Node.js (TF.js CPU backend) and
# compares the images with the SavedModel's in TensorFlow, to 1e-5.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/scripts/parity/tfjs"
cache="${JGAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jgan}"
hash="$(cat "$here/requirements.txt" "$here/package.json" | sha256sum | cut -c1-12)"
env="$cache/tfjs-$hash"
if [ ! -f "$env/.complete" ]; then
  echo "tfjs.sh: building $env (TensorFlow 2.18 and the TF.js converter, about 700 MB; npm's tfjs)" >&2
  rm -rf "$env" && mkdir -p "$env"
  python3 -m venv "$env/venv"
  "$env/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$here/requirements.txt" >&2
  cp "$here/package.json" "$env/" && (cd "$env" && npm install --silent --no-audit --no-fund >&2)
  touch "$env/.complete"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/jgan-tfjs-XXXXXX")"
trap 'rm -rf "$work"' EXIT
models=("$@")
if [ ${#models[@]} -eq 0 ]; then models=("$root/savedmodels/dcgan-mnist"); fi
TF_CPP_MIN_LOG_LEVEL=2 NODE_PATH="$env/node_modules" "$env/venv/bin/python" "$here/check.py" "$work" "${models[@]}"
