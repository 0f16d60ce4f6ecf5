"""Judges every epoch checkpoint of seed 000 runs, Java's and Python's alike, in one way.

Both sides write TF2 object-based checkpoints with the tutorial's object names, so each checkpoint is
restored into the same Keras generator (refs.dcgan_generator) and judged identically: --count samples
from the same latents for every checkpoint of every run (common random numbers: the curves differ by
the weights alone), quantized to 8 bits as `evaluate` does, judged by the Fashion-MNIST judge
SavedModel, and measured by whole_run.measure (classifier score, Frechet distance, KID, smallest class
share) against the 10,000 test images. The epoch comes from the checkpoint itself (`_jgan/epoch` in a
Java checkpoint, `epoch` in one of seed000.py).

Appends one row per checkpoint to RUN/judged.csv and skips epochs already there, so it can be rerun
while a run is still training.

  python judge_runs.py --judge savedmodels/judge-fashion-mnist --data-dir data RUN [RUN ...]
"""
import argparse
import csv
import glob
import os
import re

import numpy as np
import tensorflow as tf

import refs
import whole_run
from parity import idx_images

LATENT_SEED = 1000       # the same latents for every checkpoint of every run
KID_SUBSET_SEED = 0      # the same KID subsets too
COLUMNS = ['epoch', 'classifier score', 'Frechet distance', 'KID', 'smallest class share']


def epoch_of(prefix):
    reader = tf.train.load_checkpoint(prefix)
    for key in ('_jgan/epoch', 'epoch/.ATTRIBUTES/VARIABLE_VALUE'):
        if reader.has_tensor(key):
            return int(reader.get_tensor(key))
    raise SystemExit(f'{prefix}: expected a jgan or seed000.py checkpoint (an _jgan/epoch or epoch value), found neither')


def judged_epochs(path):
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {int(row['epoch']) for row in csv.DictReader(f)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('runs', nargs='+', help='run directories holding training_checkpoints/ckpt-N')
    parser.add_argument('--judge', required=True)
    parser.add_argument('--data-dir', required=True)
    parser.add_argument('--count', type=int, default=10000)
    args = parser.parse_args()

    judge_model = tf.saved_model.load(args.judge)
    test = (idx_images(os.path.join(args.data_dir, 'fashion-mnist', 't10k-images-idx3-ubyte'), 10000) - 127.5) / 127.5
    reference, _ = whole_run.judge(judge_model, test)
    generator = refs.dcgan_generator()
    checkpoint = tf.train.Checkpoint(generator=generator)
    for run in args.runs:
        out = os.path.join(run, 'judged.csv')
        done = judged_epochs(out)
        prefixes = sorted((p[:-len('.index')] for p in glob.glob(os.path.join(run, 'training_checkpoints', 'ckpt-*.index'))),
                          key=lambda p: int(re.search(r'ckpt-(\d+)$', p).group(1)))
        for prefix in prefixes:
            epoch = epoch_of(prefix)
            if epoch in done:
                continue
            checkpoint.restore(prefix).expect_partial().assert_existing_objects_matched()
            images = whole_run.samples(lambda z: generator(z, training=False).numpy(), args.count, LATENT_SEED)
            row = whole_run.measure(*whole_run.judge(judge_model, images), reference,
                                    np.random.default_rng(KID_SUBSET_SEED))
            new = not os.path.exists(out)
            with open(out, 'a', newline='') as f:
                writer = csv.writer(f)
                if new:
                    writer.writerow(COLUMNS)
                writer.writerow([epoch] + [repr(row[c]) for c in COLUMNS[1:]])
            done.add(epoch)
            print(f'{run} epoch {epoch}: ' + ', '.join(f'{c} {row[c]:.4g}' for c in COLUMNS[1:]), flush=True)


if __name__ == '__main__':
    main()
