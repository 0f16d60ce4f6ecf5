#!/usr/bin/env bash
# Mutants of the code under test: each named default of each preset's step and networks changed
# slightly on the Java side, one at a time (io.jgan.parity.JavaMutants), each run through the float64
# parity against the unchanged Python reference, which must report every one as a failure.
#   bash scripts/parity/mutants.sh
#   PRESETS=dcgan-mnist,gan-tf1 MUTANTS=all bash scripts/parity/mutants.sh
# PRESETS: the GANs (default every preset and conditional-gan). MUTANTS: 'checked' (default: every
# mutant the comparison can see), 'all' (also the blind ones: initialisers and the penalty's alpha
# draw, which Python's initial checkpoint and fed draws replace), or names joined by '+' (those a
# preset has). MUTANT_LIST=NAME:PRESET,... runs exactly those instead. Prints a markdown table:
# preset | mutant | what it changes | detected | what caught it | s.
# Exit status: 0 every mutant detected, 1 one was not (or failed to run), 3 Python cannot be set up.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
presets="${PRESETS:-dcgan-mnist,dcgan-fashion,gan-mlp,gan-tf1,dcgan-flux,dcgan-lego,wgan-gp,cwgan-gp,conditional-gan}"
which="${MUTANTS:-checked}"
spec="${MUTANT_LIST:-}"  # or exactly these: NAME:PRESET,... (a representative subset per preset)
if [ -z "$spec" ]; then
  for p in ${presets//,/ }; do
    spec="${spec:+$spec,}$which:$p"
  done
fi
log="$(mktemp "${TMPDIR:-/tmp}/jgan-mutants-XXXXXX.log")"
trap 'rm -f "$log"' EXIT
started=$SECONDS
# The per-mutant verdicts stream to stderr as they come; the whole log stays for the table.
bash "$root/scripts/parity/run.sh" --java-mutants "$spec" 2>&1 | tee "$log" | grep --line-buffered -E '^JAVA MUTANT (DETECTED|MISSED|ERROR):' >&2
status=${PIPESTATUS[0]}
if [ "$status" = 3 ]; then
  cat "$log" >&2
  exit 3
fi
python3 - "$log" "$((SECONDS - started))" <<'PY'
import re
import sys

text = open(sys.argv[1], encoding='utf-8').read()
what = {}
for m in re.finditer(r'^JAVA MUTANT LIST: (\S+) on (\S+) \((\w+)\): (.*)$', text, re.M):
    what[(m.group(2), m.group(1))] = (m.group(3), m.group(4))
rows = re.findall(r'^JAVA MUTANT (DETECTED|MISSED|ERROR): (\S+) on (\S+) \((\d+) s\): (.*)$', text, re.M)
print('| preset | mutant | what it changes | detected | what caught it (largest float64 difference, check, tensor) | s |')
print('|---|---|---|---|---|---|')
for status, mutant, preset, secs, caught in rows:
    kind, change = what.get((preset, mutant), ('?', '?'))
    verdict = {'DETECTED': 'yes', 'MISSED': 'no' + (' (blind by design)' if kind == 'blind' else ''),
               'ERROR': 'error'}[status]
    print(f'| {preset} | {mutant} | {change} | {verdict} | {caught.replace("|", "/")} | {secs} |')
detected = sum(1 for r in rows if r[0] == 'DETECTED')
print(f'\n{detected} of {len(rows)} mutants detected ({sys.argv[2]} s)')
PY
if [ "$status" != 0 ] || ! grep -q '^JAVA MUTANT' "$log"; then
  grep -v '^  ' "$log" | grep -v '^JAVA MUTANT' | tail -20 >&2
  exit 1
fi
