"""Parity of the Java presets with the Python seed tutorials, run by run.sh.

For every preset: the Python reference builds the seed's Keras models and optimizers and saves
them with tf.train.Checkpoint (the checkpoint the Java side starts from: Python -> Java); it draws
every input and random number (batches, latents, dropout keep-masks, label noise, penalty alphas)
and writes them as .npy; the Java driver restores the checkpoint strictly, computes G(z) and D(x) in
inference and training mode and runs three training steps with those inputs fed, then saves its
own checkpoint, which Python restores into fresh objects (Java -> Python) and compares with what
its own three steps produced: per-step losses, every weight, BatchNorm moving statistic and
optimizer slot. For dcgan-mnist also: Java's `generate` command on a checkpoint the seed program
wrote, and a SavedModel exported by Java loaded with tf.saved_model.load.

Prints one table: preset, check, max difference, tolerance, PASS/FAIL. Exit status 1 on any FAIL.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import tensorflow as tf

import refs

FORWARD_TOLERANCE = 1e-5   # max abs difference of G(z) and D(x)
TRAINING_TOLERANCE = 1e-4  # relative: |java - python| / max|python| per tensor (per metric)
# GAN training steps can be ill-conditioned: with some initial weights, float32 rounding
# differences grow by 1e4-1e5 within three steps, in Python itself (a 1e-7 relative perturbation
# of Python's own initial weights moves its result as far). Where a three-step quantity misses
# TRAINING_TOLERANCE, the reference's own spread under such perturbations is measured, and Java
# must stay within SENSITIVITY_FACTOR times it.
SENSITIVITY_FACTOR = 10.0
PERTURBATION = 1e-7
SAVEDMODEL_TOLERANCE = 1e-6
STEPS = int(os.environ.get("PARITY_STEPS", "3"))
BATCH = 8
STREAM_GENERATE = 3  # io.jgan.nn.RandomSource.STREAM_GENERATE


def mix(seed, stream):
    """io.jgan.nn.RandomSource.mix (SplitMix64 of seed and stream), as a signed int64."""
    m = 1 << 64
    z = (seed * 0x9E3779B97F4A7C15 + stream) % m
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % m
    z ^= z >> 31
    return z - m if z >= 1 << 63 else z


class Table:
    def __init__(self):
        self.rows = []

    def add(self, preset, check, diff, tolerance, note=''):
        ok = bool(np.isfinite(diff)) and diff <= tolerance
        self.rows.append((preset, check, diff, tolerance, ok, note))
        print(f'  {preset:14s} {check:46s} {diff:11.3e} {tolerance:9.1e}  {"PASS" if ok else "FAIL"} {note}', flush=True)

    def fail(self, preset, check, reason):
        self.rows.append((preset, check, float('nan'), float('nan'), False, reason))
        print(f'  {preset:14s} {check:46s}   FAIL: {reason}', flush=True)

    def print(self):
        print()
        print(f'{"preset":14s} {"check":46s} {"max diff":>11s} {"tolerance":>9s}  result')
        for preset, check, diff, tolerance, ok, note in self.rows:
            print(f'{preset:14s} {check:46s} {diff:11.3e} {tolerance:9.1e}  {"PASS" if ok else "FAIL"} {note}')
        failed = sum(1 for r in self.rows if not r[4])
        print(f'\n{len(self.rows) - failed} passed, {failed} failed')
        return failed


def idx_images(path, count):
    with open(path, 'rb') as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], 'big') for i in (4, 8, 12))
    return np.frombuffer(data[16:16 + count * rows * cols], np.uint8).reshape(count, rows, cols, 1)


def real_images(preset, data_dir, count, offset):
    """Real MNIST (Fashion-MNIST for dcgan-fashion) scaled as the preset scales it, at its image size."""
    name = 'fashion-mnist' if preset.name == 'dcgan-fashion' else 'mnist'
    raw = idx_images(os.path.join(data_dir, name, 'train-images-idx3-ubyte'), offset + count)[offset:].astype('float32')
    x = raw / 255.0 if preset.unit else (raw - 127.5) / 127.5
    h, w, c = preset.image
    if (h, w) != (28, 28):
        x = tf.image.resize(x, (h, w), method='bilinear').numpy()
    if c == 3:
        x = np.repeat(x, 3, axis=3)
    return x.astype('float32')


def save(dirpath, name, array):
    np.save(os.path.join(dirpath, name + '.npy'), np.asarray(array, dtype=np.float32))


def one_hot(labels, classes):
    return np.eye(classes, dtype=np.float32)[labels]


class Nets:
    """One preset's models and optimizers, with fed dropout, and its inputs' conventions."""

    def __init__(self, preset):
        self.p = preset
        self.G = preset.generator()
        self.D = preset.discriminator()
        self.gopt = tf.keras.optimizers.Adam(**preset.adam)
        self.dopt = tf.keras.optimizers.Adam(**preset.adam)
        self.gopt.build(self.G.trainable_variables)
        self.dopt.build(self.D.trainable_variables)
        self.dropout = refs.FedDropout(self.G, self.D)
        self.ckpt = tf.train.Checkpoint(generator_optimizer=self.gopt, discriminator_optimizer=self.dopt,
                                        generator=self.G, discriminator=self.D)

    def g(self, z, y, training):
        z = tf.convert_to_tensor(z)
        y = None if y is None else tf.convert_to_tensor(y)
        out = self.G([z, y] if self.p.classes else z, training=training)
        return tf.reshape(out, (-1,) + self.p.image) if self.p.flat else out

    def d(self, x, y, training):
        x = tf.convert_to_tensor(x)
        y = None if y is None else tf.convert_to_tensor(y)
        if self.p.flat:
            x = tf.reshape(x, (-1, int(np.prod(self.p.image))))
        if self.p.classes:
            h, w, _ = self.p.image
            tiled = tf.tile(tf.reshape(y, (-1, 1, 1, self.p.classes)), (1, h, w, 1))
            return self.D([x, tiled], training=training)
        return self.D(x, training=training)

    def masks(self, rng, fn):
        """Keep-masks for fn's dropout calls. fn runs once without dropout to learn the shapes; the
        BatchNorm statistics its training-mode calls update are put back."""
        state = [(v, v.numpy()) for v in self.G.non_trainable_variables + self.D.non_trainable_variables]
        shapes = self.dropout.shapes(fn)
        for v, value in state:
            v.assign(value)
        return [(rng.random(shape) >= 0.3).astype(np.float32) for shape in shapes]


def bce(logits_or_probs, targets, from_logits):
    return tf.keras.losses.BinaryCrossentropy(from_logits=from_logits)(targets, logits_or_probs)


def train_step(n, images, labels, feeds):
    """The seed's train step with fed randomness. feeds[r] holds the inputs of session run r.
    Returns the metrics in the Java step's order."""
    p, G, D = n.p, n.G, n.D
    B = images.shape[0]
    if p.step.startswith('simultaneous'):
        f = feeds[0]
        n.dropout.feed([f[k] for k in sorted((k for k in f if k.startswith('dropout_')), key=lambda k: int(k.split('_')[1]))])
        with tf.GradientTape() as gt, tf.GradientTape() as dt:
            fake = n.g(f['noise'], None, True)
            real_out = n.d(images, None, True)
            fake_out = n.d(fake, None, True)
            if p.loss == 'logits':  # seed 000
                gl = bce(fake_out, tf.ones_like(fake_out), True)
                dl = bce(real_out, tf.ones_like(real_out), True) + bce(fake_out, tf.zeros_like(fake_out), True)
                d_real, d_fake = tf.reduce_mean(tf.sigmoid(real_out)), tf.reduce_mean(tf.sigmoid(fake_out))
            else:  # seed 003 DCGAN: noisy labels, BCE on probabilities, averaged
                real_noisy = tf.ones_like(real_out) + 0.1 * f['real_label_noise']
                fake_noisy = tf.zeros_like(fake_out) - 0.1 * f['fake_label_noise']
                dl = (bce(real_out, real_noisy, False) + bce(fake_out, fake_noisy, False)) / 2.0
                gl = bce(fake_out, tf.ones_like(fake_out), False)
                d_real, d_fake = tf.reduce_mean(real_out), tf.reduce_mean(fake_out)
        n.dropout.done()
        gg = gt.gradient(gl, G.trainable_variables)
        dg = dt.gradient(dl, D.trainable_variables)
        n.gopt.apply_gradients(zip(gg, G.trainable_variables))
        n.dopt.apply_gradients(zip(dg, D.trainable_variables))
        return [dl, gl, d_real, d_fake]

    if p.step.startswith('alternating'):
        from_logits = p.loss == 'logits'
        f0, f1 = feeds[0], feeds[1]
        n.dropout.feed([f0[k] for k in sorted((k for k in f0 if k.startswith('discriminator_dropout_')),
                                              key=lambda k: int(k.rsplit('_', 1)[1]))])
        fake = n.g(f0['noise'], None, False)  # generator.predict / outside the gradient
        with tf.GradientTape() as dt:
            if p.step == 'alternating-mixed':  # seed 001: one mixed batch, real labels 0.9
                out = n.d(tf.concat([images, fake], 0), None, True)
                targets = np.concatenate([np.full((B, 1), 0.9, np.float32), np.zeros((fake.shape[0], 1), np.float32)])
                dl = bce(out, targets, from_logits)
                real_out, fake_out = out[:B], out[B:]
            else:
                real_out = n.d(images, None, True)
                fake_out = n.d(fake, None, True)
                dl = bce(real_out, tf.ones_like(real_out), from_logits) + bce(fake_out, tf.zeros_like(fake_out), from_logits)
        n.dropout.done()
        dg = dt.gradient(dl, D.trainable_variables)
        n.dopt.apply_gradients(zip(dg, D.trainable_variables))
        prob = (lambda o: tf.reduce_mean(tf.sigmoid(o))) if from_logits else tf.reduce_mean
        d_real, d_fake = prob(real_out), prob(fake_out)
        z2 = f1['generator_noise'] if p.step == 'alternating-fresh' or p.step == 'alternating-mixed' else f1['noise']
        n.dropout.feed([f1[k] for k in sorted((k for k in f1 if k.startswith('generator_dropout_')),
                                              key=lambda k: int(k.rsplit('_', 1)[1]))])
        with tf.GradientTape() as gt:
            scores = n.d(n.g(z2, None, True), None, True)
            gl = bce(scores, tf.ones_like(scores), from_logits)
        n.dropout.done()
        gg = gt.gradient(gl, G.trainable_variables)
        n.gopt.apply_gradients(zip(gg, G.trainable_variables))
        return [dl, gl, d_real, d_fake]

    # seed 003 WGAN-GP: three critic steps (fresh noise each), then the generator
    for k in range(3):
        f = feeds[k]
        n.dropout.feed([f[key] for key in sorted((key for key in f if key.startswith('critic_dropout_')),
                                                 key=lambda key: int(key.rsplit('_', 1)[1]))])
        with tf.GradientTape() as tape:
            fake = n.g(f['critic_noise'], labels, True)
            fake_pred = n.d(fake, labels, True)
            real_pred = n.d(images, labels, True)
            wass = tf.reduce_mean(fake_pred) - tf.reduce_mean(real_pred)
            interpolated = images + f['alpha'] * (fake - images)
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(interpolated)
                pred = n.d(interpolated, labels, True)
            grads = gp_tape.gradient(pred, [interpolated])[0]
            norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))
            gp = tf.reduce_mean((norm - 1.0) ** 2)
            closs = wass + gp * 10.0
        n.dropout.done()
        cg = tape.gradient(closs, D.trainable_variables)
        n.dopt.apply_gradients(zip(cg, D.trainable_variables))
    f = feeds[3]
    n.dropout.feed([f[key] for key in sorted((key for key in f if key.startswith('generator_dropout_')),
                                             key=lambda key: int(key.rsplit('_', 1)[1]))])
    with tf.GradientTape() as tape:
        gl = -tf.reduce_mean(n.d(n.g(f['noise'], labels, True), labels, True))
    n.dropout.done()
    gg = tape.gradient(gl, G.trainable_variables)
    n.gopt.apply_gradients(zip(gg, G.trainable_variables))
    return [closs, -wass, gp, gl]


def draw_feeds(n, rng, images, labels):
    """The random inputs of one step, per session run, named as the Java step names them."""
    p = n.p
    B = images.shape[0]
    normal = (lambda shape: rng.uniform(-1, 1, shape).astype(np.float32)) if p.unit else \
        (lambda shape: rng.standard_normal(shape).astype(np.float32))
    if p.step.startswith('simultaneous'):
        noise = normal((B, p.latent))
        f = {'noise': noise}
        fake_shape = lambda: n.d(n.g(noise, None, False), None, True)
        masks = n.masks(rng, lambda: (n.d(images, None, True), fake_shape()))
        f.update({f'dropout_{i}': m for i, m in enumerate(masks)})
        if p.step == 'simultaneous-noisy':
            f['real_label_noise'] = rng.random((B, 1)).astype(np.float32)
            f['fake_label_noise'] = rng.random((B, 1)).astype(np.float32)
        return [f]
    if p.step.startswith('alternating'):
        noise = normal((B, p.latent))
        fake = n.g(noise, None, False)
        if p.step == 'alternating-mixed':
            d_masks = n.masks(rng, lambda: n.d(tf.concat([images, fake], 0), None, True))
        else:
            d_masks = n.masks(rng, lambda: (n.d(images, None, True), n.d(fake, None, True)))
        f0 = {'noise': noise}
        f0.update({f'discriminator_dropout_{i}': m for i, m in enumerate(d_masks)})
        f1 = {}
        if p.step == 'alternating-same':
            f1['noise'] = noise  # the G run evaluates the D run's noise op again
            z2 = noise
        else:
            z2 = normal((B, p.latent))
            f1['generator_noise'] = z2
        g_masks = n.masks(rng, lambda: n.d(n.g(z2, None, False), None, True))
        f1.update({f'generator_dropout_{i}': m for i, m in enumerate(g_masks)})
        return [f0, f1]
    runs = []
    for _ in range(3):
        z = normal((B, p.latent))
        f = {'critic_noise': z, 'alpha': rng.random((B, 1, 1, 1)).astype(np.float32)}
        fake = n.g(z, labels, False)
        masks = n.masks(rng, lambda: (n.d(fake, labels, True), n.d(images, labels, True), n.d(images, labels, True)))
        f.update({f'critic_dropout_{i}': m for i, m in enumerate(masks)})
        runs.append(f)
    z = normal((B, p.latent))
    f = {'noise': z}
    masks = n.masks(rng, lambda: n.d(n.g(z, labels, False), labels, True))
    f.update({f'generator_dropout_{i}': m for i, m in enumerate(masks)})
    runs.append(f)
    return runs


def java(classpath, *args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2')
    result = subprocess.run(['java', '-cp', classpath, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'java {" ".join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}')
    return result.stdout


def relative(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(np.max(np.abs(b)), 1e-12)
    return float(np.max(np.abs(a - b)) / scale) if a.size else 0.0


def check_preset(name, work, classpath, data_dir, table):
    p = refs.PRESETS[name]
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    seed = int(os.environ.get('PARITY_SEED', '20261122'))
    tf.keras.utils.set_random_seed(seed)  # Keras's initial weights: the same case on every run
    rng = np.random.default_rng(seed)
    classes = p.classes

    # Python's initial models and optimizers, saved as the seed program saves them.
    start = Nets(p)
    start.ckpt.save(os.path.join(d, 'python_init', 'ckpt'))

    # Forward inputs and Python's outputs.
    n_fwd = 4
    z = (rng.uniform(-1, 1, (n_fwd, p.latent)) if p.unit else rng.standard_normal((n_fwd, p.latent))).astype(np.float32)
    x = real_images(p, data_dir, n_fwd, 100)
    y = one_hot(rng.integers(0, classes, n_fwd), classes) if classes else None
    save(d, 'fwd_z', z)
    save(d, 'fwd_x', x)
    if classes:
        save(d, 'fwd_labels', y)
    fwd = Nets(p)
    fwd.ckpt.restore(os.path.join(d, 'python_init', 'ckpt-1')).assert_existing_objects_matched()
    d_masks = fwd.masks(rng, lambda: fwd.d(x, y, True))
    for i, m in enumerate(d_masks):
        save(d, f'fwd_dmask_{i}', m)
    py_fwd = {'g_inference': fwd.g(z, y, False), 'd_inference': fwd.d(x, y, False)}
    fwd.dropout.feed(d_masks)
    py_fwd['d_training'] = fwd.d(x, y, True)
    fwd.dropout.done()
    py_fwd['g_training'] = fwd.g(z, y, True)  # (updates fwd's BatchNorm statistics; fwd is discarded)

    # Three training steps with fed randomness.
    inputs = []
    n = Nets(p)
    n.ckpt.restore(os.path.join(d, 'python_init', 'ckpt-1')).assert_existing_objects_matched()
    for k in range(STEPS):
        images = real_images(p, data_dir, BATCH, 200 + k * BATCH)
        labels = one_hot(rng.integers(0, classes, BATCH), classes) if classes else None
        feeds = draw_feeds(n, rng, images, labels)
        save(d, f'step{k}_images', images)
        if classes:
            save(d, f'step{k}_labels', labels)
        for r, f in enumerate(feeds):
            for key, value in f.items():
                save(d, f'step{k}_run{r}_{key}', value)
        inputs.append((images, labels, feeds))
    py_metrics, after_one, py_final = replay(p, d, inputs, None)

    with open(os.path.join(d, 'spec.json'), 'w') as f:
        json.dump({'preset': name, 'classes': classes, 'batch': BATCH, 'steps': STEPS}, f)
    java(classpath, 'io.jgan.parity.ParityDriver', 'run', d)

    for key in ('g_inference', 'd_inference', 'g_training', 'd_training'):
        mode = key.split('_')[1]
        net = 'G(z)' if key.startswith('g') else 'D(x)'
        diff = float(np.max(np.abs(np.load(os.path.join(d, f'java_{key}.npy')) - np.asarray(py_fwd[key]))))
        table.add(name, f'forward {net} {mode}', diff, FORWARD_TOLERANCE)

    # The state after step 1 (every op and the first optimizer update), the per-step losses and the
    # state after all steps; where one misses the tolerance, the reference's own spread decides.
    java_one = Nets(p)
    java_one.ckpt.restore(os.path.join(d, 'java_after_1', 'ckpt-1')).assert_consumed()
    java_metrics = np.load(os.path.join(d, 'java_metrics.npy'))
    names = open(os.path.join(d, 'java_metric_names.txt')).read().split(',')
    after = Nets(p)
    after.ckpt.restore(os.path.join(d, 'java_after', 'ckpt-1')).assert_consumed()  # Java -> Python, strict
    quantities = {f'after step 1: {label}': diff for label, diff in group_differences(after_one, snapshot(java_one)).items()}
    quantities.update({f'step {k + 1} losses ({",".join(names)})': metric_difference(java_metrics[k], py_metrics[k])
                       for k in range(STEPS)})
    quantities.update({f'after {STEPS} steps: {label}': diff
                       for label, diff in group_differences(py_final, snapshot(after)).items()})
    spread = None
    for check, diff in quantities.items():
        if diff <= TRAINING_TOLERANCE:
            table.add(name, check, diff, TRAINING_TOLERANCE)
            continue
        if spread is None:
            spread = reference_spread(p, d, inputs, py_metrics, after_one, py_final)
        own = spread[check]
        table.add(name, check, diff, max(TRAINING_TOLERANCE, SENSITIVITY_FACTOR * own),
                  f'(ill-conditioned: Python vs Python with a {PERTURBATION:.0e} perturbation differs by {own:.1e})')

    # The restored generator reproduces Java's output exactly.
    z_fwd = np.load(os.path.join(d, 'fwd_z.npy'))
    y_fwd = np.load(os.path.join(d, 'fwd_labels.npy')) if classes else None
    diff = float(np.max(np.abs(np.asarray(after.g(z_fwd, y_fwd, False)) - np.load(os.path.join(d, 'java_g_after.npy')))))
    table.add(name, 'Java checkpoint in Python: G(z) reproduced', diff, FORWARD_TOLERANCE)


def snapshot(n):
    """Every variable of the four objects, as arrays, grouped as the table reports them."""
    return {'generator': [v.numpy() for v in n.G.weights], 'discriminator': [v.numpy() for v in n.D.weights],
            'generator_optimizer': [v.numpy() for v in n.gopt.variables],
            'discriminator_optimizer': [v.numpy() for v in n.dopt.variables]}


def group_differences(mine, theirs):
    return {f'{group} ({len(mine[group])} tensors)': max((relative(b, a) for a, b in zip(mine[group], theirs[group])), default=0.0)
            for group in mine}


def metric_difference(java_row, python_row):
    return max(abs(java_row[i] - python_row[i]) / max(abs(python_row[i]), 1e-3) for i in range(len(python_row)))


def replay(p, d, inputs, perturbation_seed):
    """Python's steps from the initial checkpoint (its weights optionally perturbed by PERTURBATION
    relative): per-step metrics, the state after step 1 and after the last step."""
    n = Nets(p)
    n.ckpt.restore(os.path.join(d, 'python_init', 'ckpt-1')).assert_existing_objects_matched()
    if perturbation_seed is not None:
        r = np.random.default_rng(perturbation_seed)
        for v in n.G.trainable_variables + n.D.trainable_variables:
            x = v.numpy()
            v.assign((x * (1 + PERTURBATION * r.standard_normal(x.shape))).astype(np.float32))
    metrics, after_one = [], None
    for k, (images, labels, feeds) in enumerate(inputs):
        metrics.append([float(v) for v in train_step(n, images, labels, feeds)])
        if k == 0:
            after_one = snapshot(n)
    return metrics, after_one, snapshot(n)


def reference_spread(p, d, inputs, py_metrics, py_one, py_final):
    """How far Python's own results move when its initial weights are perturbed at float32 level:
    the largest difference over two perturbations, for every quantity the table checks."""
    spread = {}
    for seed in (1, 2):
        metrics, one, final = replay(p, d, inputs, seed)
        for k in range(len(metrics)):
            spread[('step', k)] = max(spread.get(('step', k), 0.0), metric_difference(metrics[k], py_metrics[k]))
        for label, diff in group_differences(py_one, one).items():
            spread[('one', label)] = max(spread.get(('one', label), 0.0), diff)
        for label, diff in group_differences(py_final, final).items():
            spread[('after', label)] = max(spread.get(('after', label), 0.0), diff)
    return SpreadLookup(spread)


class SpreadLookup:
    """Maps the table's check names to the measured spread."""

    def __init__(self, spread):
        self.spread = spread

    def __getitem__(self, check):
        if check.startswith('step '):
            return self.spread[('step', int(check.split()[1]) - 1)]
        kind = 'one' if check.startswith('after step 1:') else 'after'
        return self.spread[(kind, check.split(': ', 1)[1])]


def check_seed000_checkpoint_and_savedmodel(work, classpath, data_dir, table):
    """The seed 000 program's checkpoint through Java's generate command, and a Java SavedModel in Python."""
    name = 'dcgan-mnist'
    p = refs.PRESETS[name]
    d = os.path.join(work, 'seed000')
    run_dir = os.path.join(d, 'run')
    os.makedirs(os.path.join(run_dir, 'training_checkpoints'), exist_ok=True)
    n = Nets(p)
    # One training step as the seed program would take, then its checkpoint.save.
    rng = np.random.default_rng(7)
    images = real_images(p, data_dir, BATCH, 0)
    train_step(n, images, None, draw_feeds(n, rng, images, None))
    n.ckpt.save(os.path.join(run_dir, 'training_checkpoints', 'ckpt'))
    with open(os.path.join(run_dir, 'config.json'), 'w') as f:
        json.dump({'preset': name, 'seed': 42, 'epochs': 50, 'batchSize': 256, 'stepsPerEpoch': 0, 'checkpointEvery': 15,
                   'keep': 5, 'threads': 0}, f)

    # Java's generate on it, with the latents Java draws for --seed 3, recomputed here.
    count, seed = 6, 3
    java(classpath, 'io.jgan.cli.Main', 'generate', '--run-dir', run_dir, '--count', str(count), '--seed', str(seed),
         '--separate', '--out', os.path.join(d, 'java.png'))
    key = tf.constant([mix(seed, STREAM_GENERATE), 0], tf.int64)
    z = tf.raw_ops.StatelessRandomNormal(shape=tf.constant([count, p.latent], tf.int64), seed=key, dtype=tf.float32)
    expected = np.clip(np.floor(n.G(z, training=False).numpy() * 127.5 + 127.5 + 0.5), 0, 255)
    worst = 0.0
    for i in range(count):
        png = tf.io.decode_png(tf.io.read_file(os.path.join(d, f'java_{i + 1:04d}.png'))).numpy().astype(np.float64)
        zoom = png.shape[0] // 28  # one image per file, zoomed with nearest-neighbour, a 2-pixel frame
        pixels = png[2:2 + 28 * zoom:zoom, 2:2 + 28 * zoom:zoom, :1]
        worst = max(worst, float(np.max(np.abs(pixels - expected[i]))))
    table.add(name, 'seed 000 checkpoint -> Java generate (0-255)', worst, 1.0)

    # A SavedModel exported by Java, loaded in Python: its serving signature against Java's G(z).
    model = os.path.join(d, 'model')
    java(classpath, 'io.jgan.cli.Main', 'export', '--run-dir', run_dir, '--out', model, '--overwrite')
    latents = np.random.default_rng(11).standard_normal((5, p.latent)).astype(np.float32)
    save(d, 'sm_z', latents)
    java(classpath, 'io.jgan.parity.ParityDriver', 'generate', run_dir, os.path.join(d, 'sm_z.npy'), os.path.join(d, 'sm_java.npy'))
    loaded = tf.saved_model.load(model)
    served = loaded.signatures['serving_default'](latents=tf.constant(latents))['images'].numpy()
    table.add(name, 'Java SavedModel in Python (serving_default)', float(np.max(np.abs(served - np.load(os.path.join(d, 'sm_java.npy'))))),
              SAVEDMODEL_TOLERANCE)
    uint8 = loaded.signatures['generate_uint8'](latents=tf.constant(latents))['images'].numpy().astype(np.float64)
    table.add(name, 'Java SavedModel in Python (generate_uint8)',
              float(np.max(np.abs(uint8 - np.clip(np.floor(served * 127.5 + 127.5 + 0.5), 0, 255)))), 0.0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--work', required=True)
    parser.add_argument('--classpath', required=True)
    parser.add_argument('--data-dir', required=True)
    parser.add_argument('--presets', default=','.join(refs.PRESETS))
    args = parser.parse_args()
    tf.config.experimental.enable_op_determinism()
    table = Table()
    started = time.time()
    for name in args.presets.split(','):
        try:
            check_preset(name, args.work, args.classpath, args.data_dir, table)
        except Exception as e:  # one broken preset must not hide the others
            table.fail(name, 'run', f'{type(e).__name__}: {e}'.replace('\n', ' ')[:300])
    if 'dcgan-mnist' in args.presets.split(','):
        try:
            check_seed000_checkpoint_and_savedmodel(args.work, args.classpath, args.data_dir, table)
        except Exception as e:
            table.fail('dcgan-mnist', 'seed 000 checkpoint / SavedModel', f'{type(e).__name__}: {e}'.replace('\n', ' ')[:300])
    failed = table.print()
    print(f'({time.time() - started:.0f} s)')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
