"""Markdown tables from the RESULT lines of scripts/bench/run.sh: python3 table.py RESULTS_FILE.

Training: per preset, both sides' median seconds per step (with min-max), images per second at the
median, the ratio Java/Python of images per second, the step's GFLOP (io.jgan.bench.FlopCount) and
the rate each side does them at, as a share of the run's MatMul rate (the median of the MatMul runs
before and after the presets). Generation: images per second per side and the ratio.
"""
import sys


def results(path):
    rows = []
    for line in open(path):
        if line.startswith('RESULT '):
            rows.append(dict(kv.split('=', 1) for kv in line.split()[1:]))
    return rows


def main():
    rows = results(sys.argv[1])
    conditions = [line.strip() for line in open(sys.argv[1]) if line.startswith('CONDITIONS')]
    matmul = sorted(float(r['gflops']) for r in rows if r.get('what') == 'matmul')
    peak = matmul[len(matmul) // 2] if len(matmul) % 2 else sum(matmul[len(matmul) // 2 - 1:len(matmul) // 2 + 1]) / 2
    java = {r['preset']: r for r in rows if r['side'] == 'java' and 'preset' in r}
    python = {r['preset']: r for r in rows if r['side'] == 'python' and 'preset' in r}
    for c in conditions:
        print(c)
    print(f'MatMul 4096x4096: {", ".join(f"{m:.1f}" for m in matmul)} GFLOP/s (runs before and after; '
          f'{peak:.1f} used below)')
    print()
    print('| preset | batch | Java s/step (min-max) | Python s/step (min-max) | Java img/s | Python img/s | Java/Python '
          '| GFLOP/step | Java GFLOP/s (of MatMul) | Python GFLOP/s (of MatMul) |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for preset, j in java.items():
        p = python.get(preset)
        gflop = float(j['gflop'])
        jm = float(j['median_s'])
        notes = ([f'{j["steps_per_run"]} steps/run'] if j['steps_per_run'] != '1' else []) \
            + (['Java batches inline'] if j.get('batches') == 'inline' else [])
        cells = [preset + (f' ({", ".join(notes)})' if notes else ''), j['batch'],
                 f'{jm:.4g} ({float(j["min_s"]):.4g}-{float(j["max_s"]):.4g})']
        if p:
            pm = float(p['median_s'])
            cells += [f'{pm:.4g} ({float(p["min_s"]):.4g}-{float(p["max_s"]):.4g})',
                      f'{float(j["images_per_s"]):.1f}', f'{float(p["images_per_s"]):.1f}', f'**{pm / jm:.2f}**']
        else:
            cells += ['-', f'{float(j["images_per_s"]):.1f}', '-', '-']
        cells += [f'{gflop:.3g}', f'{gflop / jm:.1f} ({gflop / jm / peak:.0%})']
        cells += [f'{gflop / pm:.1f} ({gflop / pm / peak:.0%})' if p else '-']
        print('| ' + ' | '.join(cells) + ' |')
    gj = [r for r in rows if r.get('what') == 'generate' and r['side'] == 'java']
    gp = [r for r in rows if r.get('what') == 'generate' and r['side'] == 'python']
    if gj and gp:
        j, p = float(gj[0]['images_per_s']), float(gp[0]['images_per_s'])
        print()
        print(f'Generation (batch {gj[0]["batch"]}, images read into Java/numpy arrays): Java {j:.1f} img/s '
              f'(min-max {1 / float(gj[0]["max_s"]):.1f}-{1 / float(gj[0]["min_s"]):.1f}), Python {p:.1f} img/s '
              f'({1 / float(gp[0]["max_s"]):.1f}-{1 / float(gp[0]["min_s"]):.1f}), Java/Python **{j / p:.2f}**')


if __name__ == '__main__':
    main()
