#!/usr/bin/env bash
# Mutation testing (PIT) of the pure-Java classes whose tests need no TensorFlow session: the
# checkpoint directory and state file, data readers and the image cache, sample-quality metrics,
# CSV/plots/GIF/grids and option parsing. The classes and tests are listed in pom.xml (profile
# 'mutation'); docs/mutation-testing.md has the results and the surviving mutants.
#   bash scripts/mutation.sh              run PIT (about 25 minutes on 2 cores), then print the table
#   REPORT_ONLY=1 bash scripts/mutation.sh   print the table of the last run's report
#   SURVIVORS=1 bash scripts/mutation.sh     also list every mutant that survived or had no test
# The HTML report is target/pit-reports/index.html; the raw results target/pit-reports/mutations.xml.
# Exits 1 when a package scores under MIN_SCORE percent (default 80).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
report=target/pit-reports/mutations.xml
if [[ -z "${REPORT_ONLY:-}" ]]; then
  start=$(date +%s)
  mvn -B -q -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage
  echo "PIT took $(( $(date +%s) - start )) s"
fi
[[ -f "$report" ]] || { echo "$report: expected PIT's report, found none (run without REPORT_ONLY)" >&2; exit 1; }
python3 - "$report" "${MIN_SCORE:-80}" "${SURVIVORS:-}" <<'PY'
import collections, sys, xml.etree.ElementTree as ET

report, min_score, list_survivors = sys.argv[1], float(sys.argv[2]), bool(sys.argv[3])
# PIT's statuses: KILLED, SURVIVED, NO_COVERAGE, TIMED_OUT, MEMORY_ERROR, RUN_ERROR, NON_VIABLE.
# A mutant a test detects (killed, or it made the tests time out or run out of memory) counts as
# killed, as PIT's own score does; NON_VIABLE ones (bytecode the JVM rejects) are not counted.
DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}
rows = collections.defaultdict(collections.Counter)
left = []
for m in ET.parse(report).getroot():
    status = m.get("status")
    if status == "NON_VIABLE":
        continue
    cls = m.findtext("mutatedClass")
    package = cls.rsplit(".", 1)[0]
    rows[package]["all"] += 1
    rows[package]["killed" if status in DETECTED else status.lower()] += 1
    if status not in DETECTED:
        left.append((cls, int(m.findtext("lineNumber")), m.findtext("mutatedMethod"), status,
                     m.findtext("description")))
print(f"| package | mutants | killed | survived | no test | score |")
print(f"|---|---:|---:|---:|---:|---:|")
total = collections.Counter()
low = []
for package in sorted(rows):
    r = rows[package]
    total.update(r)
    score = 100.0 * r["killed"] / r["all"]
    if score < min_score:
        low.append(package)
    print(f"| {package} | {r['all']} | {r['killed']} | {r['survived']} | {r['no_coverage']} | {score:.1f}% |")
print(f"| all | {total['all']} | {total['killed']} | {total['survived']} | {total['no_coverage']} | "
      f"{100.0 * total['killed'] / total['all']:.1f}% |")
if list_survivors:
    for cls, line, method, status, description in sorted(left):
        print(f"{status:12} {cls}:{line} {method}: {description}")
if low:
    print(f"under {min_score:.0f}%: {', '.join(low)}", file=sys.stderr)
    sys.exit(1)
PY
