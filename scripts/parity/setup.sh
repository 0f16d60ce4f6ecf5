#!/usr/bin/env bash
# Creates (once) the virtual environment of the Python reference and prints its directory.
#   bash scripts/parity/setup.sh
# The environment lives outside the clone, in ${JGAN_CACHE:-${XDG_CACHE_HOME:-~/.cache}/jgan},
# named after a hash of requirements.txt: a fresh clone and CI reuse it, and a change of the pinned
# requirements makes a new one. It is built in a temporary directory and renamed into place, so an
# interrupted setup never leaves a half-installed environment under the final name.
# Exit status 3 means Python or the packages cannot be installed on this machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
requirements="$here/requirements.txt"
cache="${JGAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jgan}"
hash="$(sha256sum "$requirements" | cut -c1-12)"
venv="$cache/parity-venv-$hash"
if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
  echo "$venv"
  exit 0
fi
python="${JGAN_PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup.sh: no $python on this machine; cannot build the Python reference" >&2
  exit 3
fi
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.tmp-parity-venv-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "setup.sh: creating the Python reference environment in $venv (tensorflow-cpu is about 230 MB)" >&2
if ! "$python" -m venv "$tmp" >&2; then
  echo "setup.sh: '$python -m venv' failed; cannot build the Python reference" >&2
  exit 3
fi
if ! "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2; then
  echo "setup.sh: pip could not install $requirements (is PyPI reachable?); retry with: bash $here/setup.sh" >&2
  exit 3
fi
# A venv records its own path in its scripts; recreate the launcher paths for the final location.
touch "$tmp/.complete"
rm -rf "$venv"
mv "$tmp" "$venv"
trap - EXIT
sed -i "s#$tmp#$venv#g" "$venv/bin/activate" "$venv/pyvenv.cfg" 2>/dev/null || true
# ... and in the first line of every console script (saved_model_cli, tf2onnx's, pip's), whose
# #! names the interpreter by the temporary path.
for script in "$venv"/bin/*; do
  if [ -f "$script" ] && head -c 2 "$script" | grep -q '#!'; then
    sed -i "1s#$tmp#$venv#" "$script"
  fi
done
echo "$venv"
