"""The Python half of scripts/bench/run.sh.

step:     a preset's train step as its seed runs it, built from the seed's own Keras models in
          scripts/parity/refs.py: one tf.function per step (the whole step: both updates, or the
          critic iterations and the generator update), its noise, dropout and label noise drawn
          inside it, over tf.data batches of the same real data as the Java side (MNIST or
          Fashion-MNIST; the folder presets on MNIST resized bilinearly to 64x64, gray or RGB, as
          the Java benchmark does without a folder; cwgan-gp conditioned on MNIST's 10 classes),
          shuffled, batched and prefetched (tf.data's prefetch, as the Java side's Prefetcher).
generate: images from an exported SavedModel's serving_default, read into a numpy array.
call:     the fixed cost of a tf.function call (a scalar in, one add, .numpy() out), as
          io.jgan.bench.SessionRunBenchmark times a Java session run.

Prints one line per measurement in the form run.sh parses (median, min, max, p90 of the timed
calls and images per second at the median).
"""
import argparse
import os
import sys
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument('what', choices=['step', 'generate', 'call'])
parser.add_argument('--preset', default='dcgan-mnist')
parser.add_argument('--threads', type=int, default=0)
parser.add_argument('--batch', type=int, default=0, help='0: the preset\'s')
parser.add_argument('--warmup', type=int, default=5)
parser.add_argument('--steps', type=int, default=30)
parser.add_argument('--data-dir', default='data')
parser.add_argument('--model', help='generate: the SavedModel directory')
parser.add_argument('--count', type=int, default=10000, help='generate: images per timed repetition')
parser.add_argument('--generate-batch', type=int, default=500)
parser.add_argument('--repeats', type=int, default=5, help='generate: timed repetitions')
parser.add_argument('--latent', type=int, default=100, help='generate: latent size')
# Imported by scripts/bench/profile.py (for build_step), which parses its own arguments and sets the threads.
args = parser.parse_args() if __name__ == '__main__' else None

import tensorflow as tf  # noqa: E402  (threads must be set before any op runs)

if args is not None and args.threads > 0:
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'parity'))
import refs  # noqa: E402

# The presets' batch sizes (io.jgan.presets.Presets), used when --batch is 0.
BATCH = {'dcgan-mnist': 256, 'dcgan-fashion': 256, 'gan-mlp': 128, 'gan-tf1': 128, 'dcgan-flux': 128,
         'dcgan-lego': 128, 'wgan-gp': 512, 'cwgan-gp': 128}
MNIST_CLASSES = 10
CRITIC_STEPS = 3       # seed 003
GP_WEIGHT = 10.0       # seed 003
LABEL_NOISE = 0.1      # seed 003 DCGAN
REAL_LABEL_MLP = 0.9   # seed 001


def spread(times):
    t = np.sort(np.asarray(times))
    return float(np.median(t)), float(t[0]), float(t[-1]), float(t[int(len(t) * 0.9)])


def idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], 'big') for i in (4, 8, 12))
    return np.frombuffer(data[16:16 + n * rows * cols], np.uint8).reshape(n, rows, cols, 1)


def labels_of(path):
    with open(path, 'rb') as f:
        return np.frombuffer(f.read()[8:], np.uint8).astype(np.int64)


def uint8_images(p, data_dir):
    """The preset's training images as uint8 [n, h, w, c] (resized in chunks, so no float copy of all)."""
    name = 'fashion-mnist' if p.name == 'dcgan-fashion' else 'mnist'
    raw = idx(os.path.join(data_dir, name, 'train-images-idx3-ubyte'))
    h, w, c = p.image
    if (h, w) == (28, 28) and c == 1:
        return raw
    out = np.empty((raw.shape[0], h, w, c), np.uint8)
    for i in range(0, raw.shape[0], 5000):
        x = tf.image.resize(raw[i:i + 5000].astype(np.float32), (h, w), method='bilinear').numpy()
        x = np.clip(np.floor(x + 0.5), 0, 255).astype(np.uint8)
        out[i:i + 5000] = np.repeat(x, c, axis=3) if c == 3 else x
    return out


def step_function(p, G, D, gopt, dopt, batch, classes):
    """The seed's train_step for preset p, as one tf.function over (images, labels)."""
    bce_logits = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    bce_probs = tf.keras.losses.BinaryCrossentropy(from_logits=False)
    bce = bce_logits if p.loss == 'logits' else bce_probs

    def noise(n):
        return tf.random.uniform([n, p.latent], -1.0, 1.0) if p.unit else tf.random.normal([n, p.latent])

    def g(z, y, training):
        out = G([z, y] if classes else z, training=training)
        return tf.reshape(out, (-1,) + p.image) if p.flat else out

    def d(x, y, training):
        if p.flat:
            x = tf.reshape(x, (-1, int(np.prod(p.image))))
        if classes:
            h, w, _ = p.image
            return D([x, tf.tile(tf.reshape(y, (-1, 1, 1, classes)), (1, h, w, 1))], training=training)
        return D(x, training=training)

    if p.step == 'simultaneous':  # seed 000
        @tf.function
        def train_step(images, labels):
            z = noise(batch)
            with tf.GradientTape() as gt, tf.GradientTape() as dt:
                fake = g(z, None, True)
                real_out = d(images, None, True)
                fake_out = d(fake, None, True)
                gl = bce(tf.ones_like(fake_out), fake_out)
                dl = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
            gopt.apply_gradients(zip(gt.gradient(gl, G.trainable_variables), G.trainable_variables))
            dopt.apply_gradients(zip(dt.gradient(dl, D.trainable_variables), D.trainable_variables))
            return dl, gl
        return train_step

    if p.step == 'simultaneous-noisy':  # seed 003 DCGAN
        @tf.function
        def train_step(images, labels):
            n = tf.shape(images)[0]
            z = noise(n)
            with tf.GradientTape() as gt, tf.GradientTape() as dt:
                fake = g(z, None, True)
                real_out = d(images, None, True)
                fake_out = d(fake, None, True)
                real_noisy = tf.ones_like(real_out) + LABEL_NOISE * tf.random.uniform(tf.shape(real_out))
                fake_noisy = tf.zeros_like(fake_out) - LABEL_NOISE * tf.random.uniform(tf.shape(fake_out))
                dl = (bce(real_noisy, real_out) + bce(fake_noisy, fake_out)) / 2.0
                gl = bce(tf.ones_like(fake_out), fake_out)
            dopt.apply_gradients(zip(dt.gradient(dl, D.trainable_variables), D.trainable_variables))
            gopt.apply_gradients(zip(gt.gradient(gl, G.trainable_variables), G.trainable_variables))
            return dl, gl
        return train_step

    if p.step.startswith('alternating'):  # seeds 001, 002, 004: D update, then G through the updated D
        @tf.function
        def train_step(images, labels):
            z = noise(batch)
            fake = g(z, None, False)
            with tf.GradientTape() as dt:
                if p.step == 'alternating-mixed':
                    n = tf.shape(images)[0]
                    out = d(tf.concat([images, fake], 0), None, True)
                    targets = tf.concat([tf.fill([n, 1], REAL_LABEL_MLP), tf.zeros([batch, 1])], 0)
                    dl = bce(targets, out)
                else:
                    real_out = d(images, None, True)
                    fake_out = d(fake, None, True)
                    dl = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
            dopt.apply_gradients(zip(dt.gradient(dl, D.trainable_variables), D.trainable_variables))
            z2 = z if p.step == 'alternating-same' else noise(batch)
            with tf.GradientTape() as gt:
                scores = d(g(z2, None, True), None, True)
                gl = bce(tf.ones_like(scores), scores)
            gopt.apply_gradients(zip(gt.gradient(gl, G.trainable_variables), G.trainable_variables))
            return dl, gl
        return train_step

    @tf.function
    def train_step(images, labels):  # seed 003 WGAN-GP: CRITIC_STEPS critic updates, then G
        n = tf.shape(images)[0]
        y = labels if classes else None
        for _ in range(CRITIC_STEPS):
            z = noise(n)
            with tf.GradientTape() as tape:
                fake = g(z, y, True)
                wass = tf.reduce_mean(d(fake, y, True)) - tf.reduce_mean(d(images, y, True))
                alpha = tf.random.uniform([n, 1, 1, 1])
                interpolated = images + alpha * (tf.stop_gradient(fake) - images)
                with tf.GradientTape() as gp_tape:
                    gp_tape.watch(interpolated)
                    pred = d(interpolated, y, True)
                grads = gp_tape.gradient(pred, [interpolated])[0]
                norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))
                gp = tf.reduce_mean((norm - 1.0) ** 2)
                closs = wass + gp * GP_WEIGHT
            dopt.apply_gradients(zip(tape.gradient(closs, D.trainable_variables), D.trainable_variables))
        z = noise(n)
        with tf.GradientTape() as tape:
            gl = -tf.reduce_mean(d(g(z, y, True), y, True))
        gopt.apply_gradients(zip(tape.gradient(gl, G.trainable_variables), G.trainable_variables))
        return closs, gl
    return train_step


def build_step(preset, batch, data_dir):
    """The preset's step as bench_step times it: (its batch size, the batch iterator, the tf.function)."""
    p = refs.PRESETS[preset]
    batch = batch or BATCH[p.name]
    classes = MNIST_CLASSES if p.classes else 0
    if classes:
        G, D = refs.cwgan_generator(classes), refs.cwgan_critic(classes)
    else:
        G, D = p.generator(), p.discriminator()
    gopt = tf.keras.optimizers.Adam(**p.adam)
    dopt = tf.keras.optimizers.Adam(**p.adam)
    images = uint8_images(p, data_dir)
    def scale(x):  # the preset's pixel scale: [0, 1] (seed 004) or [-1, 1]
        x = tf.cast(x, tf.float32)
        return x / 255.0 if p.unit else (x - 127.5) / 127.5

    def labelled(x, y):
        return scale(x), tf.one_hot(y, classes)

    def unlabelled(x):
        return scale(x), tf.zeros([0])

    if classes:
        labels = labels_of(os.path.join(data_dir, 'mnist', 'train-labels-idx1-ubyte'))
        ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(len(images)).batch(batch, drop_remainder=True)
        ds = ds.map(labelled)
    else:
        ds = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images)).batch(batch, drop_remainder=True)
        ds = ds.map(unlabelled)
    iterator = iter(ds.repeat().prefetch(2))  # as the Java side's Prefetcher: two batches ahead
    return batch, iterator, step_function(p, G, D, gopt, dopt, batch, classes)


def bench_step():
    p = refs.PRESETS[args.preset]
    batch, iterator, train_step = build_step(args.preset, args.batch, args.data_dir)
    times = []
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        x, y = next(iterator)
        train_step(x, y)[0].numpy()  # .numpy(): wait for the step, as the Java side fetches its losses
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
    median, low, high, p90 = spread(times)
    print(f'python train step: preset {p.name}, batch {batch}, threads {args.threads or "default"}, '
          f'{args.warmup} warm-up + {args.steps} timed steps; seconds per step: median {median:.4f}, '
          f'min {low:.4f}, max {high:.4f}, p90 {p90:.4f}; {batch / median:.1f} images/s')
    print(f'RESULT side=python preset={p.name} batch={batch} threads={args.threads} steps={args.steps} median_s={median:.6f} '
          f'min_s={low:.6f} max_s={high:.6f} p90_s={p90:.6f} images_per_s={batch / median:.2f}')


def bench_generate():
    model = tf.saved_model.load(args.model)
    serving = model.signatures['serving_default']
    b = args.generate_batch
    # The latents GenerateBenchmark uses: ((i * 7919) mod 2001 - 1000) / 1000, so both sides compute the same images.
    z = tf.constant(((np.arange(b * args.latent) * 7919 % 2001 - 1000) / 1000).astype(np.float32).reshape(b, args.latent))
    serving(latents=z)['images'].numpy()  # warm-up
    checksum = 0.0
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        done = 0
        while done < args.count:
            checksum += float(serving(latents=z)['images'].numpy()[0, 0, 0, 0])  # the batch read into numpy
            done += b
        times.append((time.perf_counter() - start) / done)
    median, low, high, p90 = spread(times)
    print(f'python generate: {args.count} images x {args.repeats} repetitions, batch {b}, threads '
          f'{args.threads or "default"}; seconds per image: median {median:.3e}, min {low:.3e}, max {high:.3e}; '
          f'{1 / median:.1f} images/s (checksum {checksum:.3f})')
    print(f'RESULT side=python what=generate batch={b} threads={args.threads} repeats={args.repeats} median_s={median:.6e} '
          f'min_s={low:.6e} max_s={high:.6e} images_per_s={1 / median:.2f}')


def bench_call(calls=20000):
    @tf.function
    def add_one(x):
        return x + 1

    add_one(tf.constant(0, tf.int64))
    micros = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for i in range(calls):
            add_one(tf.constant(i, tf.int64)).numpy()
        micros.append((time.perf_counter() - start) / calls * 1e6)
    median, low, high, _ = spread(micros)
    print(f'python tf.function call (a scalar in, one add, .numpy() out), {calls} calls x {args.repeats}: median '
          f'{median:.1f} us, min {low:.1f}, max {high:.1f}')


if __name__ == '__main__':
    {'step': bench_step, 'generate': bench_generate, 'call': bench_call}[args.what]()
