"""The seed 000 comparison: Java's and Python's quality curves in one plot, and the verdict.

Reads RESULTS/seed000/{java,python}-seedS/judged.csv (judge_runs.py: every epoch of a run judged the
same way: 10,000 samples from one fixed set of latents, the Fashion-MNIST judge) and writes:
  - OUT.png: Frechet distance, classifier score and KID per epoch, the long run of each side as a line,
    and the spread of every seed of each side over the epochs they all have (min to max, shaded);
  - OUT.md: the verdict, a table per checkpoint epoch (10, 50, 100 by default).

Verdict, per metric and epoch E:
  - where both sides have several seeds at E: Welch's t-test of the seeds' values (two-sided);
  - where one run per side reaches E: the two runs' values over a window of epochs around E (E-4 .. E+5,
    clipped to what both have), Welch's t-test of those; a GAN's quality wanders from epoch to epoch,
    so a window of one run is a sample of that run's level there, though not an independent one: the
    p-value is optimistic (neighbouring epochs correlate), which makes "differ" easier to reach, not
    harder. Beside it, the difference of the window means relative to the seed-to-seed spread of the
    first epochs (how far apart two seeds of one side are).
"statistically the same" means p >= 0.05 for every metric; any p < 0.05 is reported as a difference.

  python seed000_report.py [--results runs/results] [--out docs/seed000] [--epochs 10,50,100]
"""
import argparse
import csv
import glob
import os
import re

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import scipy.stats  # noqa: E402

METRICS = [('Frechet distance', 'Frechet distance (lower is better)'),
           ('classifier score', 'classifier score (higher is better)'),
           ('KID', 'KID (lower is better)')]
WINDOW = (4, 5)  # epochs before and after E in a single run's window


def read(path):
    with open(path) as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r['epoch']))
    return {int(r['epoch']): {m: float(r[m]) for m, _ in METRICS} for r in rows}


def runs(results, side):
    found = {}
    for path in glob.glob(os.path.join(results, 'seed000', f'{side}-seed*', 'judged.csv')):
        seed = int(re.search(r'seed(\d+)', path).group(1))
        found[seed] = read(path)
    return found


def longest(side_runs):
    return max(side_runs.values(), key=len) if side_runs else {}


def common_epochs(side_runs):
    sets = [set(r) for r in side_runs.values()]
    return sorted(set.intersection(*sets)) if sets else []


def welch(a, b):
    if len(a) < 2 or len(b) < 2:
        return float('nan'), float('nan')
    t, p = scipy.stats.ttest_ind(a, b, equal_var=False)
    return float(t), float(p)


def verdict_rows(java, python, epochs):
    rows = []
    spread = {}
    both = sorted(set(common_epochs(java)) & set(common_epochs(python)))
    for m, _ in METRICS:  # the seed-to-seed standard deviation over the epochs every seed has
        per_epoch = [np.std([r[e][m] for r in list(java.values()) + list(python.values())], ddof=1) for e in both]
        spread[m] = float(np.mean(per_epoch)) if per_epoch and len(java) + len(python) > 2 else float('nan')
    jl, pl = longest(java), longest(python)
    for e in epochs:
        for m, _ in METRICS:
            js = [r[e][m] for r in java.values() if e in r]
            ps = [r[e][m] for r in python.values() if e in r]
            if len(js) >= 2 and len(ps) >= 2:
                how = f'{len(js)} and {len(ps)} seeds at epoch {e}'
                a, b = js, ps
            else:
                window = [k for k in range(e - WINDOW[0], e + WINDOW[1] + 1) if k in jl and k in pl]
                if not window:
                    rows.append((e, m, None))
                    continue
                how = f'one run each, epochs {window[0]}-{window[-1]}'
                a, b = [jl[k][m] for k in window], [pl[k][m] for k in window]
            t, p = welch(a, b)
            rows.append((e, m, dict(how=how, java=float(np.mean(a)), java_sd=float(np.std(a, ddof=1)) if len(a) > 1 else 0.0,
                                    python=float(np.mean(b)), python_sd=float(np.std(b, ddof=1)) if len(b) > 1 else 0.0,
                                    t=t, p=p, spread=spread[m])))
    return rows


def plot(java, python, out):
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for ax, (m, title) in zip(axes, METRICS):
        for side, runs_, color in (('Java (jgan)', java, 'tab:blue'), ('Python (seed 000)', python, 'tab:orange')):
            common = common_epochs(runs_)
            if len(runs_) > 1 and common:
                lo = [min(r[e][m] for r in runs_.values()) for e in common]
                hi = [max(r[e][m] for r in runs_.values()) for e in common]
                ax.fill_between(common, lo, hi, color=color, alpha=0.2, label=f'{side}: {len(runs_)} seeds, min-max')
            run = longest(runs_)
            if run:
                xs = sorted(run)
                ax.plot(xs, [run[e][m] for e in xs], color=color, lw=1.2, label=f'{side}: the longest run')
        ax.set_title(title)
        ax.set_xlabel('epoch')
        if m != 'classifier score':
            ax.set_yscale('log')
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle('dcgan-fashion (seed 000) in Java and in Python TensorFlow: sample quality per epoch, '
                 '10,000 samples judged alike')
    fig.tight_layout()
    fig.savefig(out, dpi=90)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--results', default='runs/results')
    parser.add_argument('--out', default='docs/seed000')
    parser.add_argument('--epochs', default='10,50,100')
    args = parser.parse_args()
    java, python = runs(args.results, 'java'), runs(args.results, 'python')
    if not java or not python:
        raise SystemExit(f'{args.results}/seed000: expected judged runs of both sides (judge_runs.py), found '
                         f'{len(java)} Java and {len(python)} Python')
    plot(java, python, args.out + '.png')
    epochs = [int(e) for e in args.epochs.split(',')]
    lines = ['| epoch | metric | compared | Java | Python | Welch t | p | difference / seed spread | verdict |',
             '|---|---|---|---|---|---|---|---|---|']
    for e, m, r in verdict_rows(java, python, epochs):
        if r is None:
            lines.append(f'| {e} | {m} | not reached by both sides yet | | | | | | |')
            continue
        ratio = abs(r['java'] - r['python']) / r['spread'] if r['spread'] == r['spread'] and r['spread'] > 0 else float('nan')
        verdict = 'differ (p < 0.05)' if r['p'] < 0.05 else 'indistinguishable' if r['p'] == r['p'] else 'too few values'
        lines.append(f"| {e} | {m} | {r['how']} | {r['java']:.4g} +- {r['java_sd']:.2g} | {r['python']:.4g} +- "
                     f"{r['python_sd']:.2g} | {r['t']:.2f} | {r['p']:.3f} | {ratio:.2f} | {verdict} |")
    runs_line = (f"Runs: Java seeds {sorted(java)} ({', '.join(f'{s}: {len(r)} epochs' for s, r in sorted(java.items()))}); "
                 f"Python seeds {sorted(python)} ({', '.join(f'{s}: {len(r)} epochs' for s, r in sorted(python.items()))}).")
    with open(args.out + '.md', 'w') as f:
        f.write(runs_line + '\n\n' + '\n'.join(lines) + '\n')
    print(runs_line)
    print('\n'.join(lines))
    print(f'wrote {args.out}.png and {args.out}.md')


if __name__ == '__main__':
    main()
