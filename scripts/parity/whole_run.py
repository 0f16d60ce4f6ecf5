"""Whole-run parity: the seed 000 DCGAN trained in Python TensorFlow and by jgan in Java, judged alike.

Run by scripts/parity/whole-run.sh, which trains and exports the Java runs first. For each seed this
trains the seed 000 program (its models from refs.py, its train step, tf.data pipeline, batch 256,
Adam 1e-4, the same number of epochs), then draws --count samples from every Python generator and
from every Java export (serving_default), and judges all of them the same way, here: samples
quantized to 8 bits as the evaluate command does ((round(x * 127.5 + 127.5) - 127.5) / 127.5), the
judge SavedModel's features and logits, and the metrics of metrics.py against the MNIST test set
(classifier score, Frechet distance through the symmetric eigendecomposition, KID over 100 subsets
of 1,000, the smallest class share). Prints one table: mean +- standard deviation over the seeds per
side, and Welch's t-test of the difference of the means.
"""
import argparse
import json
import os
import time

import numpy as np
import scipy.stats
import tensorflow as tf

import metrics
import refs
from parity import idx_images

BATCH_SIZE = 256    # seed 000
BUFFER_SIZE = 60000
NOISE_DIM = 100
LEARNING_RATE = 1e-4


def train_python(images, epochs, seed):
    """The seed 000 program's training loop, with its own randomness, seeded."""
    tf.keras.utils.set_random_seed(seed)
    generator, discriminator = refs.dcgan_generator(), refs.dcgan_discriminator()
    cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    g_opt, d_opt = tf.keras.optimizers.Adam(LEARNING_RATE), tf.keras.optimizers.Adam(LEARNING_RATE)

    @tf.function
    def train_step(batch):
        noise = tf.random.normal([BATCH_SIZE, NOISE_DIM])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = generator(noise, training=True)
            real_output = discriminator(batch, training=True)
            fake_output = discriminator(generated, training=True)
            gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
            disc_loss = (cross_entropy(tf.ones_like(real_output), real_output)
                         + cross_entropy(tf.zeros_like(fake_output), fake_output))
        g_opt.apply_gradients(zip(gen_tape.gradient(gen_loss, generator.trainable_variables),
                                  generator.trainable_variables))
        d_opt.apply_gradients(zip(disc_tape.gradient(disc_loss, discriminator.trainable_variables),
                                  discriminator.trainable_variables))

    dataset = tf.data.Dataset.from_tensor_slices(images).shuffle(BUFFER_SIZE, seed=seed).batch(BATCH_SIZE)
    for epoch in range(epochs):
        start = time.time()
        for batch in dataset:
            train_step(batch)
        print(f'  python seed {seed}: epoch {epoch + 1} in {time.time() - start:.0f} s', flush=True)
    return lambda z: generator(z, training=False).numpy()


def java_generator(model_dir):
    model = tf.saved_model.load(model_dir)
    serving = model.signatures['serving_default']
    return lambda z: serving(latents=tf.constant(z))['images'].numpy()


def samples(generate, count, seed):
    z = np.random.default_rng(seed).standard_normal((count, NOISE_DIM)).astype(np.float32)
    out = np.concatenate([generate(z[i:i + 500]) for i in range(0, count, 500)])
    return (np.clip(np.floor(out * 127.5 + 127.5 + 0.5), 0, 255) - 127.5) / 127.5  # as evaluate judges them


def judge(model, images):
    features, logits = [], []
    for i in range(0, len(images), 500):
        out = model.signatures['features'](images=tf.constant(images[i:i + 500].astype(np.float32)))
        features.append(out['features'].numpy())
        logits.append(out['logits'].numpy())
    return np.concatenate(features).astype(np.float64), np.concatenate(logits).astype(np.float64)


def measure(features, logits, reference, rng):
    m = min(1000, len(features), len(reference))
    kid = [metrics.mmd2_unbiased(features[rng.choice(len(features), m, replace=False)],
                                 reference[rng.choice(len(reference), m, replace=False)]) for _ in range(100)]
    predicted = np.argmax(logits, axis=1)
    return {'classifier score': metrics.classifier_score(logits),
            'Frechet distance': metrics.frechet_distance_eigh(features, reference),
            'KID': float(np.mean(kid)),
            'smallest class share': float(min(np.mean(predicted == c) for c in range(logits.shape[1])))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--java-models', required=True, help='directories of the Java exports, comma-separated')
    parser.add_argument('--seeds', required=True, help='the seeds, comma-separated (one Python run each)')
    parser.add_argument('--epochs', type=int, required=True)
    parser.add_argument('--count', type=int, default=10000)
    parser.add_argument('--data-dir', required=True)
    parser.add_argument('--judge', required=True)
    parser.add_argument('--out', required=True, help='the JSON of every run\'s metrics')
    args = parser.parse_args()

    judge_model = tf.saved_model.load(args.judge)
    test = (idx_images(os.path.join(args.data_dir, 'mnist', 't10k-images-idx3-ubyte'), 10000) - 127.5) / 127.5
    reference, _ = judge(judge_model, test)
    train = ((idx_images(os.path.join(args.data_dir, 'mnist', 'train-images-idx3-ubyte'), 60000) - 127.5) / 127.5
             ).astype(np.float32)

    runs = {'java': [], 'python': []}
    for i, model_dir in enumerate(args.java_models.split(',')):
        runs['java'].append(measure(*judge(judge_model, samples(java_generator(model_dir), args.count, 1000 + i)),
                                    reference, np.random.default_rng(i)))
        print(f'  java {model_dir}: {runs["java"][-1]}', flush=True)
    for i, seed in enumerate(int(s) for s in args.seeds.split(',')):
        generate = train_python(train, args.epochs, seed)
        runs['python'].append(measure(*judge(judge_model, samples(generate, args.count, 1000 + i)), reference,
                                      np.random.default_rng(i)))
        print(f'  python seed {seed}: {runs["python"][-1]}', flush=True)
    with open(args.out, 'w') as f:
        json.dump(runs, f, indent=2)

    print(f'\ndcgan-mnist, {args.epochs} epochs, {len(runs["java"])} Java and {len(runs["python"])} Python runs, '
          f'{args.count} samples each, judged by {args.judge}\n')
    print(f'{"metric":<22} {"Java mean +- std":>22} {"Python mean +- std":>22} {"Welch t":>8} {"p":>6}  verdict')
    for metric in runs['java'][0]:
        j = np.array([r[metric] for r in runs['java']])
        p = np.array([r[metric] for r in runs['python']])
        t, pvalue = scipy.stats.ttest_ind(j, p, equal_var=False)
        verdict = 'differ (p < 0.05)' if pvalue < 0.05 else 'indistinguishable'
        print(f'{metric:<22} {j.mean():>11.4g} +- {j.std(ddof=1):<8.3g} {p.mean():>11.4g} +- {p.std(ddof=1):<8.3g} '
              f'{t:>8.2f} {pvalue:>6.3f}  {verdict}')


if __name__ == '__main__':
    main()
