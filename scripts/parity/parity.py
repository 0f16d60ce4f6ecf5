"""Parity of the Java presets with the Python seed tutorials, run by run.sh.

For every preset, two builds of the same GAN are checked against the seed's Keras code (and so is
examples/conditional-gan, a GAN a program defines, against keras-io's conditional GAN: refs.PRESETS
names its class, which run.sh compiles onto the driver's classpath):

float64 (the authoritative check). Python builds the seed's models and optimizers with Keras's
dtype policy float64 and saves them with tf.train.Checkpoint; it draws every input and random
number of FLOAT64_STEPS training steps (batches, latents, dropout keep-masks, label noise, penalty
alphas) and writes them as .npy; the Java driver builds the preset in float64, restores the
checkpoint strictly and runs the same steps with those draws fed, then saves checkpoints after the
first and the last step, which Python restores strictly into fresh objects and compares with its own
steps: every step's losses, then every weight, BatchNorm moving statistic and optimizer slot, per
tensor, with one relative tolerance, FLOAT64_TOLERANCE, and no other rule. In float64 the rounding
noise of a step is about 1e-16 of a value; even grown 1e5-fold through a few ill-conditioned GAN
steps it stays near 1e-11, on any CPU and with oneDNN on or off, while a wrong convention (a
padding split, a momentum, an epsilon, an update order) moves results by 1e-6 or far more.

float32 (what users train with). Forward passes G(z) and D(x), inference and training mode, must
agree to FORWARD_TOLERANCE; a Java checkpoint after three float32 steps must restore strictly in
Python and reproduce Java's G(z). The float32 multi-step differences are printed as INFO rows only:
float32 rounding grows by up to 1e6 within three steps of these GANs (a 1e-7 perturbation of
Python's own weights moves Python's result as far), so they depend on the CPU and prove nothing.
For dcgan-mnist also: Java's `generate` on a checkpoint the seed program wrote, and a SavedModel
exported by Java loaded with tf.saved_model.load.

--mutate NAME:PRESET,... runs the float64 checks of PRESET against a reference with one convention
changed on purpose (see MUTATIONS) and succeeds only if every mutation makes a float64 check fail:
the proof that the check can fail.

Prints one table: preset, check, max difference, tolerance, PASS/FAIL/INFO. Exit status 1 on any FAIL.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import keras
import numpy as np
import tensorflow as tf

import refs

FORWARD_TOLERANCE = 1e-5    # float32: max abs difference of G(z) and D(x)
FLOAT64_TOLERANCE = 1e-9    # float64: relative, per tensor and per metric
SAVEDMODEL_TOLERANCE = 1e-6  # the same TensorFlow kernels on the same weights and inputs
TFLITE_TOLERANCE = 1e-5      # other kernels (TFLite, ONNX Runtime): float32 sums in another order, images in [-1, 1]
FLOAT64_STEPS = int(os.environ.get("PARITY_STEPS", "5"))
FLOAT32_STEPS = 3
EXPORT = os.environ.get("PARITY_EXPORT", "1") != "0"  # the consumers of Java's exports (TFLite, ONNX)
BATCH = 8
STREAM_GENERATE = 3  # io.jgan.nn.RandomSource.STREAM_GENERATE
# A mutation must move some float64 check this far (1000x the tolerance) to count as detected.
DETECTED = 1e-6


def mix(seed, stream):
    """io.jgan.nn.RandomSource.mix (SplitMix64 of seed and stream), as a signed int64."""
    m = 1 << 64
    z = (seed * 0x9E3779B97F4A7C15 + stream) % m
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % m
    z ^= z >> 31
    return z - m if z >= 1 << 63 else z


def use_dtype(dtype):
    """Keras builds models, optimizers (the learning rate is created in floatx) and losses in dtype."""
    keras.config.set_floatx(dtype)
    keras.config.set_dtype_policy(dtype)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, preset, check, diff, tolerance, note='', informational=False):
        status = 'INFO' if informational else ('PASS' if bool(np.isfinite(diff)) and diff <= tolerance else 'FAIL')
        self.rows.append((preset, check, diff, tolerance, status, note))
        print(f'  {preset:14s} {check:50s} {diff:11.3e} {tolerance:9.1e}  {status} {note}', flush=True)

    def fail(self, preset, check, reason):
        self.rows.append((preset, check, float('nan'), float('nan'), 'FAIL', reason))
        print(f'  {preset:14s} {check:50s}   FAIL: {reason}', flush=True)

    def failed(self):
        return sum(1 for r in self.rows if r[4] == 'FAIL')

    def print(self):
        print()
        print(f'{"preset":14s} {"check":50s} {"max diff":>11s} {"tolerance":>9s}  result')
        for preset, check, diff, tolerance, status, note in self.rows:
            print(f'{preset:14s} {check:50s} {diff:11.3e} {tolerance:9.1e}  {status} {note}')
        failed = self.failed()
        info = sum(1 for r in self.rows if r[4] == 'INFO')
        print(f'\n{len(self.rows) - failed - info} passed, {failed} failed, {info} informational (never fail)')
        return failed


def idx_images(path, count):
    with open(path, 'rb') as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], 'big') for i in (4, 8, 12))
    return np.frombuffer(data[16:16 + count * rows * cols], np.uint8).reshape(count, rows, cols, 1)


def real_images(preset, data_dir, count, offset, dtype):
    """Real MNIST (Fashion-MNIST for dcgan-fashion) scaled as the preset scales it, at its image size."""
    name = 'fashion-mnist' if preset.name == 'dcgan-fashion' else 'mnist'
    raw = idx_images(os.path.join(data_dir, name, 'train-images-idx3-ubyte'), offset + count)[offset:].astype(dtype)
    x = raw / 255.0 if preset.unit else (raw - 127.5) / 127.5
    h, w, c = preset.image
    if (h, w) != (28, 28):
        x = tf.image.resize(x, (h, w), method='bilinear').numpy()
    if c == 3:
        x = np.repeat(x, 3, axis=3)
    return x.astype(dtype)


def save(dirpath, name, array, dtype):
    np.save(os.path.join(dirpath, name + '.npy'), np.asarray(array, dtype=dtype))


def one_hot(labels, classes, dtype):
    return np.eye(classes, dtype=dtype)[labels]


class Nets:
    """One preset's models and optimizers in the current Keras dtype, with fed dropout."""

    def __init__(self, preset, mutation=None):
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
        self.mutation = mutation
        if mutation:
            assert mutation not in KERAS_IO_MUTATIONS or preset.step == 'keras-io-cgan', \
                f'the mutation {mutation} needs a GAN with the keras-io conditional GAN step'
        if mutation:
            MUTATIONS[mutation][1](self)

    def g(self, z, y, training):
        z = tf.convert_to_tensor(z)
        y = None if y is None else tf.convert_to_tensor(y)
        if self.p.joined:  # keras-io: the generator takes concat([z, y])
            out = self.G(tf.concat([z, y], axis=1), training=training)
        else:
            out = self.G([z, y] if self.p.classes else z, training=training)
        return tf.reshape(out, (-1,) + self.p.image) if self.p.flat else out

    def d(self, x, y, training):
        x = tf.convert_to_tensor(x)
        y = None if y is None else tf.convert_to_tensor(y)
        if self.p.flat:
            x = tf.reshape(x, (-1, int(np.prod(self.p.image))))
        if self.p.classes:
            tiled = self.tile(y)
            if self.p.joined:  # keras-io: the discriminator takes concat([x, labels], -1)
                return self.D(tf.concat([x, tiled], axis=-1), training=training)
            return self.D([x, tiled], training=training)
        return self.D(x, training=training)

    def tile(self, y):
        """One-hot labels [n, classes] over the image, [n, h, w, classes]: each label's value over its own channel,
        as jgan's Conditioning.CONCATENATE does; under the 'keras-io-tiling' mutation the tutorial's verbatim code."""
        h, w, _ = self.p.image
        if self.mutation == 'keras-io-tiling':
            return refs.keras_io_image_labels(tf.convert_to_tensor(y), h)
        return tf.tile(tf.reshape(y, (-1, 1, 1, self.p.classes)), (1, h, w, 1))

    def masks(self, rng, fn, dtype):
        """Keep-masks for fn's dropout calls. fn runs once without dropout to learn the shapes; the
        BatchNorm statistics its training-mode calls update are put back."""
        state = [(v, v.numpy()) for v in self.G.non_trainable_variables + self.D.non_trainable_variables]
        shapes = self.dropout.shapes(fn)
        for v, value in state:
            v.assign(value)
        return [(rng.random(shape) >= 0.3).astype(dtype) for shape in shapes]


def layers_of(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def set_bn(attribute, value):
    def mutate(n):
        found = layers_of(n.G, keras.layers.BatchNormalization) + layers_of(n.D, keras.layers.BatchNormalization)
        assert found, 'the mutation needs a preset with BatchNormalization'
        for layer in found:
            setattr(layer, attribute, value)
    return mutate


def set_adam_epsilon(n):
    n.gopt.epsilon = n.dopt.epsilon = 10 * n.gopt.epsilon


# Conventions changed on purpose to show that the float64 check catches them: name -> (what, how).
# 'update-order' is applied in train_step (alternating steps: G is trained through D before D's update).
MUTATIONS = {
    'bn-epsilon': ('BatchNormalization epsilon 1e-3 -> 1e-5', set_bn('epsilon', 1e-5)),
    'bn-momentum': ('BatchNormalization momentum -> 0.99', set_bn('momentum', 0.99)),
    'adam-epsilon': ('Adam epsilon x 10', set_adam_epsilon),
    'update-order': ('G step through the D of before its update', lambda n: None),
    'label-convention': ('keras-io labels swapped: D learns real = 1, fake = 0; G targets 1', lambda n: None),
    'keras-io-tiling': ("the tutorial's verbatim label tiling (ops.repeat without an axis): label k on rows "
                        "2.8k to 2.8k + 2.8 of every channel, not on channel k", lambda n: None),
}
# Applied in train_step and Nets.tile; they need the keras-io conditional GAN.
KERAS_IO_MUTATIONS = ('label-convention', 'keras-io-tiling')


def bce(logits_or_probs, targets, from_logits):
    return tf.keras.losses.BinaryCrossentropy(from_logits=from_logits)(targets, logits_or_probs)


def feed_masks(n, feeds, prefix):
    keys = sorted((k for k in feeds if k.startswith(prefix) and k[len(prefix):].isdigit()), key=lambda k: int(k[len(prefix):]))
    n.dropout.feed([feeds[k] for k in keys])


def train_step(n, images, labels, feeds):
    """The seed's train step with fed randomness. feeds[r] holds the inputs of session run r.
    Returns the metrics in the Java step's order."""
    p, G, D = n.p, n.G, n.D
    B = images.shape[0]
    dtype = images.dtype
    if p.step == 'keras-io-cgan':
        return keras_io_cgan_train_step(n, images, labels, feeds)
    if p.step.startswith('simultaneous'):
        f = feeds[0]
        feed_masks(n, f, 'dropout_')
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
        feed_masks(n, f0, 'discriminator_dropout_')
        fake = n.g(f0['noise'], None, False)  # generator.predict / outside the gradient
        with tf.GradientTape() as dt:
            if p.step == 'alternating-mixed':  # seed 001: one mixed batch, real labels 0.9
                out = n.d(tf.concat([images, fake], 0), None, True)
                targets = np.concatenate([np.full((B, 1), 0.9, dtype), np.zeros((fake.shape[0], 1), dtype)])
                dl = bce(out, targets, from_logits)
                real_out, fake_out = out[:B], out[B:]
            else:
                real_out = n.d(images, None, True)
                fake_out = n.d(fake, None, True)
                dl = bce(real_out, tf.ones_like(real_out), from_logits) + bce(fake_out, tf.zeros_like(fake_out), from_logits)
        n.dropout.done()
        dg = dt.gradient(dl, D.trainable_variables)
        delayed = n.mutation == 'update-order'
        if not delayed:
            n.dopt.apply_gradients(zip(dg, D.trainable_variables))
        prob = (lambda o: tf.reduce_mean(tf.sigmoid(o))) if from_logits else tf.reduce_mean
        d_real, d_fake = prob(real_out), prob(fake_out)
        z2 = f1['generator_noise'] if 'generator_noise' in f1 else f1['noise']
        feed_masks(n, f1, 'generator_dropout_')
        with tf.GradientTape() as gt:
            scores = n.d(n.g(z2, None, True), None, True)
            gl = bce(scores, tf.ones_like(scores), from_logits)
        n.dropout.done()
        gg = gt.gradient(gl, G.trainable_variables)
        n.gopt.apply_gradients(zip(gg, G.trainable_variables))
        if delayed:
            n.dopt.apply_gradients(zip(dg, D.trainable_variables))
        return [dl, gl, d_real, d_fake]

    # seed 003 WGAN-GP: three critic steps (fresh noise each), then the generator
    for k in range(3):
        f = feeds[k]
        feed_masks(n, f, 'critic_dropout_')
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
    feed_masks(n, f, 'generator_dropout_')
    with tf.GradientTape() as tape:
        gl = -tf.reduce_mean(n.d(n.g(f['noise'], labels, True), labels, True))
    n.dropout.done()
    gg = tape.gradient(gl, G.trainable_variables)
    n.gopt.apply_gradients(zip(gg, G.trainable_variables))
    return [closs, -wass, gp, gl]


def keras_io_cgan_train_step(n, real_images, one_hot_labels, feeds):
    """keras-io conditional_gan.py's ConditionalGAN.train_step as written, with the latents fed (its
    keras.random.normal draws) and the labels tiled by Nets.tile; loss_fn BinaryCrossentropy(from_logits=True)."""
    G, D = n.G, n.D
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
    dtype = real_images.dtype
    swapped = n.mutation == 'label-convention'
    image_one_hot_labels = n.tile(one_hot_labels)
    batch_size = real_images.shape[0]
    random_vector_labels = tf.concat([feeds[0]['noise'], one_hot_labels], axis=1)
    generated_images = G(random_vector_labels)
    fake_image_and_labels = tf.concat([generated_images, image_one_hot_labels], -1)
    real_image_and_labels = tf.concat([real_images, image_one_hot_labels], -1)
    combined_images = tf.concat([fake_image_and_labels, real_image_and_labels], axis=0)
    ones, zeros = tf.ones((batch_size, 1), dtype), tf.zeros((batch_size, 1), dtype)
    labels = tf.concat([zeros, ones] if swapped else [ones, zeros], axis=0)
    with tf.GradientTape() as tape:
        predictions = D(combined_images)
        d_loss = loss_fn(labels, predictions)
    grads = tape.gradient(d_loss, D.trainable_weights)
    n.dopt.apply_gradients(zip(grads, D.trainable_weights))

    random_vector_labels = tf.concat([feeds[1]['generator_noise'], one_hot_labels], axis=1)
    misleading_labels = ones if swapped else zeros
    with tf.GradientTape() as tape:
        fake_images = G(random_vector_labels)
        fake_image_and_labels = tf.concat([fake_images, image_one_hot_labels], -1)
        predictions = D(fake_image_and_labels)
        g_loss = loss_fn(misleading_labels, predictions)
    grads = tape.gradient(g_loss, G.trainable_weights)
    n.gopt.apply_gradients(zip(grads, G.trainable_weights))
    return [d_loss, g_loss]


def draw_feeds(n, rng, images, labels):
    """The random inputs of one step, per session run (Java phase), named as the Java step names them."""
    p = n.p
    B = images.shape[0]
    dtype = images.dtype
    normal = (lambda shape: rng.uniform(-1, 1, shape).astype(dtype)) if p.uniform else \
        (lambda shape: rng.standard_normal(shape).astype(dtype))
    if p.step == 'keras-io-cgan':  # its two keras.random.normal draws, one latent per real image
        return [{'noise': normal((B, p.latent))}, {'generator_noise': normal((B, p.latent))}]
    if p.step.startswith('simultaneous'):
        noise = normal((B, p.latent))
        f = {'noise': noise}
        fake_shape = lambda: n.d(n.g(noise, None, False), None, True)
        masks = n.masks(rng, lambda: (n.d(images, None, True), fake_shape()), dtype)
        f.update({f'dropout_{i}': m for i, m in enumerate(masks)})
        if p.step == 'simultaneous-noisy':
            f['real_label_noise'] = rng.random((B, 1)).astype(dtype)
            f['fake_label_noise'] = rng.random((B, 1)).astype(dtype)
        return [f]
    if p.step.startswith('alternating'):
        noise = normal((B, p.latent))
        fake = n.g(noise, None, False)
        if p.step == 'alternating-mixed':
            d_masks = n.masks(rng, lambda: n.d(tf.concat([images, fake], 0), None, True), dtype)
        else:
            d_masks = n.masks(rng, lambda: (n.d(images, None, True), n.d(fake, None, True)), dtype)
        f0 = {'noise': noise}
        f0.update({f'discriminator_dropout_{i}': m for i, m in enumerate(d_masks)})
        f1 = {}
        if p.step == 'alternating-same':
            f1['noise'] = noise  # the G run evaluates the D run's noise op again
            z2 = noise
        else:
            z2 = normal((B, p.latent))
            f1['generator_noise'] = z2
        g_masks = n.masks(rng, lambda: n.d(n.g(z2, None, False), None, True), dtype)
        f1.update({f'generator_dropout_{i}': m for i, m in enumerate(g_masks)})
        return [f0, f1]
    runs = []
    for _ in range(3):
        z = normal((B, p.latent))
        f = {'critic_noise': z, 'alpha': rng.random((B, 1, 1, 1)).astype(dtype)}
        fake = n.g(z, labels, False)
        masks = n.masks(rng, lambda: (n.d(fake, labels, True), n.d(images, labels, True), n.d(images, labels, True)), dtype)
        f.update({f'critic_dropout_{i}': m for i, m in enumerate(masks)})
        runs.append(f)
    z = normal((B, p.latent))
    f = {'noise': z}
    masks = n.masks(rng, lambda: n.d(n.g(z, labels, False), labels, True), dtype)
    f.update({f'generator_dropout_{i}': m for i, m in enumerate(masks)})
    runs.append(f)
    return runs


def java(classpath, *args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2')
    result = subprocess.run(['java', '-cp', classpath, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'java {" ".join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}')
    return result.stdout


def relative(java_value, python_value):
    """max |java - python| / max |python| over one tensor (or scalar); exact equality needed when python is 0."""
    a, b = np.asarray(java_value, np.float64), np.asarray(python_value, np.float64)
    if a.shape != b.shape:
        return float('inf')
    if not a.size:
        return 0.0
    diff = float(np.max(np.abs(a - b)))
    scale = float(np.max(np.abs(b)))
    if scale == 0.0:
        return 0.0 if diff == 0.0 else float('inf')
    return diff / scale


def snapshot(n):
    """Every variable of the four objects, by group, as (path, array) in Keras order."""
    return {'generator': [(v.path, v.numpy()) for v in n.G.weights],
            'discriminator': [(v.path, v.numpy()) for v in n.D.weights],
            'generator_optimizer': [(v.path, v.numpy()) for v in n.gopt.variables],
            'discriminator_optimizer': [(v.path, v.numpy()) for v in n.dopt.variables]}


def per_tensor(python_state, java_state):
    """For each group: the largest per-tensor relative difference and the tensor it is in."""
    out = {}
    for group, tensors in python_state.items():
        theirs = java_state[group]
        worst, where = 0.0, ''
        for (path, mine), (_, other) in zip(tensors, theirs):
            r = relative(other, mine)
            if r > worst or not np.isfinite(r):
                worst, where = r, path
        out[group] = (worst, len(tensors), where)
    return out


def write_inputs(d, n, p, data_dir, rng, steps, dtype):
    """Draws and writes the batches and random draws of `steps` steps; returns them for the replay."""
    inputs = []
    for k in range(steps):
        images = real_images(p, data_dir, BATCH, 200 + k * BATCH, dtype)
        labels = one_hot(rng.integers(0, p.classes, BATCH), p.classes, dtype) if p.classes else None
        feeds = draw_feeds(n, rng, images, labels)
        save(d, f'step{k}_images', images, dtype)
        if p.classes:
            save(d, f'step{k}_labels', labels, dtype)
        for r, f in enumerate(feeds):
            for key, value in f.items():
                save(d, f'step{k}_run{r}_{key}', value, dtype)
        inputs.append((images, labels, feeds))
    return inputs


def replay(p, init, inputs, mutation=None):
    """Python's steps from the initial checkpoint: per-step metrics, the state after step 1 and after the last."""
    n = Nets(p, mutation)
    n.ckpt.restore(init).assert_existing_objects_matched()
    metrics, after_one = [], None
    for k, (images, labels, feeds) in enumerate(inputs):
        metrics.append([float(v) for v in train_step(n, images, labels, feeds)])
        if k == 0:
            after_one = snapshot(n)
    return metrics, after_one, snapshot(n)


def run_java(classpath, d, name, p, steps, dtype, forward, export=False, java_mutant=None):
    with open(os.path.join(d, 'spec.json'), 'w') as f:
        spec = {'preset': name, 'classes': p.classes, 'batch': BATCH, 'steps': steps, 'dtype': dtype,
                'forward': forward, 'export': export}
        if java_mutant:  # the driver changes one default of the Java side (JavaMutants)
            spec['java_mutant'] = java_mutant
        if p.java_class:  # a program's GAN: the driver trains the gan() and plan() of this class
            spec['class'] = p.java_class
        json.dump(spec, f)
    java(classpath, 'io.jgan.parity.ParityDriver', 'run', d)


def java_state(p, d, subdir):
    n = Nets(p)
    n.ckpt.restore(os.path.join(d, subdir, 'ckpt-1')).assert_consumed()  # Java -> Python, strict
    return n


def check_float64(name, work, classpath, data_dir, table, seed, mutation=None):
    """FLOAT64_STEPS training steps in float64 on both sides, compared per tensor to FLOAT64_TOLERANCE."""
    p = refs.PRESETS[name]
    d = os.path.join(work, name, 'float64' + (f'-{mutation}' if mutation else ''))
    os.makedirs(d, exist_ok=True)
    use_dtype('float64')
    try:
        tf.keras.utils.set_random_seed(seed + 64)  # Keras's initial weights in float64
        rng = np.random.default_rng(seed + 64)
        start = Nets(p)
        py_init = snapshot(start)
        init = start.ckpt.save(os.path.join(d, 'python_init', 'ckpt'))
        inputs = write_inputs(d, Nets(p), p, data_dir, rng, FLOAT64_STEPS, np.float64)
        py_metrics, py_one, py_final = replay(p, init, inputs, mutation)
        run_java(classpath, d, name, p, FLOAT64_STEPS, 'float64', False)
        rows = compare_float64(name, p, d, py_init, py_metrics, py_one, py_final, table,
                               f'[{mutation}] ' if mutation else '')
        return max(diff for diff, _, _ in rows)
    finally:
        use_dtype('float32')


def compare_float64(name, p, d, py_init, py_metrics, py_one, py_final, table, prefix):
    """Java's float64 run in d against Python's: the table's rows, also returned as (diff, check, note).
    First the optimizer settings Java's own initial state holds as variables (learning rate, iterations): the
    run restores Python's initial checkpoint, which would overwrite a wrong learning rate unseen."""
    rows = []

    def add(check, diff, note):
        table.add(name, prefix + check, diff, FLOAT64_TOLERANCE, note)
        rows.append((diff, check, note))
    java_init = snapshot(java_state(p, d, 'java_init'))
    worst, where, count = 0.0, '', 0
    for group in ('generator_optimizer', 'discriminator_optimizer'):
        for (path, mine), (_, other) in zip(py_init[group], java_init[group]):
            if np.asarray(mine).ndim == 0:  # the settings, not the (zero) slots
                count += 1
                r = relative(other, mine)
                if r > worst or not np.isfinite(r):
                    worst, where = r, path
    add(f'float64 initial optimizer settings ({count} scalars)', worst, f'(worst: {where})' if worst > 0 else '')
    java_metrics = np.load(os.path.join(d, 'java_metrics.npy'))
    names = open(os.path.join(d, 'java_metric_names.txt')).read().split(',')
    worst, where = 0.0, ''
    for k in range(FLOAT64_STEPS):
        for i, metric in enumerate(names):
            r = relative(java_metrics[k][i], py_metrics[k][i])
            if r > worst or not np.isfinite(r):
                worst, where = r, f'step {k + 1} {metric}'
    add(f'float64 losses, each of {FLOAT64_STEPS} steps', worst, f'({",".join(names)}; worst: {where})')
    for label, (mine, subdir) in (('after step 1', (py_one, 'java_after_1')),
                                  (f'after {FLOAT64_STEPS} steps', (py_final, 'java_after'))):
        theirs = snapshot(java_state(p, d, subdir))
        for group, (diff, count, path) in per_tensor(mine, theirs).items():
            add(f'float64 {label}: {group} ({count} tensors)', diff, f'(worst: {path})' if diff > 0 else '')
    return rows


FEEDS_DIFFER = "Python's random draws and Java's random tensors differ"


def java_mutants_of(classpath, name):
    """The Java mutants the driver has for a GAN: (name, 'checked' or 'blind', what it changes)."""
    p = refs.PRESETS[name]
    out = java(classpath, 'io.jgan.parity.ParityDriver', 'mutants', name, str(p.classes),
               *([p.java_class] if p.java_class else []))
    return [tuple(line.split('\t')) for line in out.splitlines() if line.count('\t') == 2]


def check_java_mutants(name, mutants, work, classpath, data_dir, table, seed):
    """The float64 check of the unchanged Python reference against each Java mutant of the preset (the
    driver's --java-mutant: one default of the code under test changed slightly); Python's steps run once.
    Prints one 'JAVA MUTANT DETECTED|MISSED|ERROR' line per mutant; returns the names not detected."""
    p = refs.PRESETS[name]
    d = os.path.join(work, name, 'float64-java-mutants')
    os.makedirs(d, exist_ok=True)
    use_dtype('float64')
    missed = []
    try:
        tf.keras.utils.set_random_seed(seed + 64)  # the same case as check_float64
        rng = np.random.default_rng(seed + 64)
        start = Nets(p)
        init = start.ckpt.save(os.path.join(d, 'python_init', 'ckpt'))
        inputs = write_inputs(d, Nets(p), p, data_dir, rng, FLOAT64_STEPS, np.float64)
        py_metrics, py_one, py_final = replay(p, init, inputs)
        py_init = snapshot(start)
        for mutant in mutants:
            started = time.time()
            for f in ('java_metrics.npy', 'java_metric_names.txt'):
                if os.path.exists(os.path.join(d, f)):
                    os.remove(os.path.join(d, f))
            for sub in ('java_after', 'java_after_1', 'java_init'):
                shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
            try:
                run_java(classpath, d, name, p, FLOAT64_STEPS, 'float64', False, java_mutant=mutant)
                rows = compare_float64(name, p, d, py_init, py_metrics, py_one, py_final, table, f'[java:{mutant}] ')
                diff, check, note = max(rows, key=lambda r: r[0] if np.isfinite(r[0]) else float('inf'))
                failed = sum(1 for r in rows if not (np.isfinite(r[0]) and r[0] <= FLOAT64_TOLERANCE))
                status = 'DETECTED' if failed else 'MISSED'
                caught = f'{diff:.1e} {check} {note}'.strip() + f'; {failed} of {len(rows)} checks fail'
            except Exception as e:  # a mutant that changes the step's random draws fails the feed check
                text = str(e)
                problem = re.search(r'(step \d+ phase \d+ \([^)]*\): expected feeds \[[^\]]*\], got \[[^\]]*\]'
                                    r'|feeds for step/phase \S+ that the step does not have: \[[^\]]*\])', text)
                if FEEDS_DIFFER in text:
                    status = 'DETECTED'
                    caught = 'feed check: ' + (problem.group(1) if problem else FEEDS_DIFFER)
                else:
                    status = 'ERROR'
                    caught = f'{type(e).__name__}: {text}'.replace('\n', ' ')[:300]
                table.fail(name, f'[java:{mutant}] float64', caught)
            if status != 'DETECTED':
                missed.append(mutant)
            print(f'JAVA MUTANT {status}: {mutant} on {name} ({time.time() - started:.0f} s): {caught}', flush=True)
        return missed
    finally:
        use_dtype('float32')


def check_float32(name, work, classpath, data_dir, table, seed):
    """Forward passes (must agree to FORWARD_TOLERANCE) and checkpoints both ways after float32 steps."""
    p = refs.PRESETS[name]
    d = os.path.join(work, name, 'float32')
    os.makedirs(d, exist_ok=True)
    use_dtype('float32')
    tf.keras.utils.set_random_seed(seed)  # Keras's initial weights: the same case on every run
    rng = np.random.default_rng(seed)
    classes = p.classes
    start = Nets(p)
    init = start.ckpt.save(os.path.join(d, 'python_init', 'ckpt'))

    n_fwd = 4
    z = (rng.uniform(-1, 1, (n_fwd, p.latent)) if p.uniform else rng.standard_normal((n_fwd, p.latent))).astype(np.float32)
    x = real_images(p, data_dir, n_fwd, 100, np.float32)
    y = one_hot(rng.integers(0, classes, n_fwd), classes, np.float32) if classes else None
    save(d, 'fwd_z', z, np.float32)
    save(d, 'fwd_x', x, np.float32)
    if classes:
        save(d, 'fwd_labels', y, np.float32)
    fwd = Nets(p)
    fwd.ckpt.restore(init).assert_existing_objects_matched()
    d_masks = fwd.masks(rng, lambda: fwd.d(x, y, True), np.float32)
    for i, m in enumerate(d_masks):
        save(d, f'fwd_dmask_{i}', m, np.float32)
    py_fwd = {'g_inference': fwd.g(z, y, False), 'd_inference': fwd.d(x, y, False)}
    fwd.dropout.feed(d_masks)
    py_fwd['d_training'] = fwd.d(x, y, True)
    fwd.dropout.done()
    py_fwd['g_training'] = fwd.g(z, y, True)  # (updates fwd's BatchNorm statistics; fwd is discarded)

    inputs = write_inputs(d, Nets(p), p, data_dir, rng, FLOAT32_STEPS, np.float32)
    py_metrics, py_one, py_final = replay(p, init, inputs)
    run_java(classpath, d, name, p, FLOAT32_STEPS, 'float32', True, EXPORT)

    for key in ('g_inference', 'd_inference', 'g_training', 'd_training'):
        mode = key.split('_')[1]
        net = 'G(z)' if key.startswith('g') else 'D(x)'
        diff = float(np.max(np.abs(np.load(os.path.join(d, f'java_{key}.npy')) - np.asarray(py_fwd[key]))))
        table.add(name, f'float32 forward {net} {mode}', diff, FORWARD_TOLERANCE)

    after = java_state(p, d, 'java_after')  # strict Java -> Python restore of a float32 run
    worst = max(diff for diff, _, _ in per_tensor(py_final, snapshot(after)).values())
    table.add(name, f'float32 after {FLOAT32_STEPS} steps, worst tensor', worst, float('nan'),
              '(informational: float32 rounding, grown by the steps)', informational=True)
    z_fwd = np.load(os.path.join(d, 'fwd_z.npy'))
    y_fwd = np.load(os.path.join(d, 'fwd_labels.npy')) if classes else None
    diff = float(np.max(np.abs(np.asarray(after.g(z_fwd, y_fwd, False)) - np.load(os.path.join(d, 'java_g_after.npy')))))
    table.add(name, 'float32 Java checkpoint in Python: G(z) reproduced', diff, FORWARD_TOLERANCE)
    return True


def check_seed000_checkpoint_and_savedmodel(work, classpath, data_dir, table):
    """The seed 000 program's checkpoint through Java's generate command, and a Java SavedModel in Python."""
    name = 'dcgan-mnist'
    p = refs.PRESETS[name]
    use_dtype('float32')
    d = os.path.join(work, 'seed000')
    run_dir = os.path.join(d, 'run')
    os.makedirs(os.path.join(run_dir, 'training_checkpoints'), exist_ok=True)
    n = Nets(p)
    # One training step as the seed program would take, then its checkpoint.save.
    rng = np.random.default_rng(7)
    images = real_images(p, data_dir, BATCH, 0, np.float32)
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
    # PNG pixels are rounded to 0-255: at most one level apart, as a share of the range.
    table.add(name, 'seed 000 checkpoint -> Java generate (pixels / 255)', worst / 255, 1 / 255)

    # A SavedModel exported by Java, loaded in Python: its serving signature against Java's G(z).
    model = os.path.join(d, 'model')
    java(classpath, 'io.jgan.cli.Main', 'export', '--run-dir', run_dir, '--out', model, '--overwrite')
    latents = np.random.default_rng(11).standard_normal((5, p.latent)).astype(np.float32)
    save(d, 'sm_z', latents, np.float32)
    java(classpath, 'io.jgan.parity.ParityDriver', 'generate', run_dir, os.path.join(d, 'sm_z.npy'), os.path.join(d, 'sm_java.npy'))
    loaded = tf.saved_model.load(model)
    served = loaded.signatures['serving_default'](latents=tf.constant(latents))['images'].numpy()
    table.add(name, 'Java SavedModel in Python (serving_default)', float(np.max(np.abs(served - np.load(os.path.join(d, 'sm_java.npy'))))),
              SAVEDMODEL_TOLERANCE)
    uint8 = loaded.signatures['generate_uint8'](latents=tf.constant(latents))['images'].numpy().astype(np.float64)
    table.add(name, 'Java SavedModel in Python (generate_uint8)', float(np.max(np.abs(uint8 - uint8_of(served)))), 0.0)


def uint8_of(images):
    """What generate_uint8 makes of images in [-1, 1]: x * 127.5 + 127.5 rounded half up, clamped."""
    return np.clip(np.floor(images * 127.5 + 127.5 + 0.5), 0, 255)


def check_export(name, work, classpath, table):
    """The float32 run's generator exported by Java (after its last step), in every consumer:
    tf.saved_model.load, the TFLite converter and interpreter, tf2onnx with ONNX Runtime. Needs
    check_float32's directory, with the export EXPORT asked for."""
    p = refs.PRESETS[name]
    use_dtype('float32')
    d = os.path.join(work, name, 'float32')
    model = os.path.join(d, 'java_export')  # written by run_java(..., export=True)
    inputs = {'latents': np.load(os.path.join(d, 'fwd_z.npy'))}
    if p.classes:
        inputs['labels'] = np.load(os.path.join(d, 'fwd_labels.npy'))

    loaded = tf.saved_model.load(model)
    for key in ('serving_default', 'generate_uint8'):
        names = sorted(loaded.signatures[key].structured_input_signature[1])
        if names != sorted(inputs):
            raise AssertionError(f'{key} takes {names}, expected {sorted(inputs)}')
    served = loaded.signatures['serving_default'](**{k: tf.constant(v) for k, v in inputs.items()})['images'].numpy()
    # Java's own G(z) on the same weights, in the export's [-1, 1] (sigmoid generators map by 2x - 1).
    raw = np.load(os.path.join(d, 'java_g_after.npy'))
    sigmoid = Nets(p).G.layers[-1].get_config().get('activation') == 'sigmoid'
    java_images = (2 * raw - 1 if sigmoid else raw).reshape(served.shape)
    table.add(name, 'Java SavedModel in Python: images = Java G(z)', float(np.max(np.abs(served - java_images))),
              SAVEDMODEL_TOLERANCE, f'(inputs {sorted(inputs)})')

    # TFLite, converted as the README tells users to: every signature, TFLite's built-in ops only (the
    # converter's defaults; a Select TF op would fail here). It lifts resource variables to constants;
    # its kernels sum in another order.
    interpreter = tf.lite.Interpreter(model_content=tf.lite.TFLiteConverter.from_saved_model(model).convert())
    if sorted(interpreter.get_signature_list()) != ['generate_uint8', 'serving_default']:
        raise AssertionError(f'TFLite model has signatures {sorted(interpreter.get_signature_list())}')
    runner = interpreter.get_signature_runner('serving_default')
    if sorted(runner.get_input_details()) != sorted(inputs):
        raise AssertionError(f'TFLite serving_default takes {sorted(runner.get_input_details())}, expected {sorted(inputs)}')
    lite = runner(**inputs)['images']
    table.add(name, 'TFLite interpreter images = SavedModel images', float(np.max(np.abs(lite - served))),
              TFLITE_TOLERANCE, f'(inputs {sorted(runner.get_input_details())}, {len(interpreter.get_tensor_details())} tensors)')
    # generate_uint8 rounds x * 127.5 + 127.5: a value within TFLITE_TOLERANCE of a rounding edge may land
    # on the next level, so one level, 1 / 127.5 in the images' [-1, 1] units, is the most they may differ by.
    runner = interpreter.get_signature_runner('generate_uint8')
    lite_uint8 = runner(**inputs)['images'].astype(np.float64)
    table.add(name, 'TFLite interpreter generate_uint8 = SavedModel images, rounded',
              float(np.max(np.abs(lite_uint8 - uint8_of(served)))) / 127.5, 1 / 127.5,
              f'(in [-1, 1] units; inputs {sorted(runner.get_input_details())})')

    # ONNX: tf2onnx's command (python -m tf2onnx.convert) converts the SavedModel, ONNX Runtime runs it.
    # Its main() runs in this process, saving a Python and TensorFlow start per preset.
    import onnxruntime
    import tf2onnx
    import tf2onnx.convert
    onnx_file = os.path.join(d, 'java_export.onnx')
    argv = sys.argv
    try:
        sys.argv = ['tf2onnx.convert', '--saved-model', model, '--signature_def', 'serving_default', '--output', onnx_file]
        tf2onnx.convert.main()
    finally:
        sys.argv = argv
    session = onnxruntime.InferenceSession(onnx_file, providers=['CPUExecutionProvider'])
    feed = {i.name: inputs[i.name.split(':')[0]] for i in session.get_inputs()}
    onnx_images = session.run(None, feed)[0]
    table.add(name, 'ONNX Runtime images = SavedModel images', float(np.max(np.abs(onnx_images - served))),
              TFLITE_TOLERANCE, f'(tf2onnx {tf2onnx.__version__}, inputs {sorted(feed)})')


def guarded(table, name, check, fn, *args):
    try:
        return fn(*args)
    except Exception as e:  # one broken preset must not hide the others
        table.fail(name, check, f'{type(e).__name__}: {e}'.replace('\n', ' ')[:400])
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--work', required=True)
    parser.add_argument('--classpath', required=True)
    parser.add_argument('--data-dir', required=True)
    parser.add_argument('--presets', default=','.join(refs.PRESETS))
    parser.add_argument('--mutate', default='', help='NAME:PRESET,... (names: ' + ', '.join(MUTATIONS) + ')')
    parser.add_argument('--java-mutants', default='',
                        help="NAME:PRESET,... Java-side mutants (the driver's JavaMutants; NAME 'all': every "
                             "mutant the GAN has, 'checked': all but the blind ones)")
    args = parser.parse_args()
    tf.config.experimental.enable_op_determinism()
    seed = int(os.environ.get('PARITY_SEED', '20261122'))
    table = Table()
    started = time.time()
    if args.java_mutants:
        wanted = {}
        for item in args.java_mutants.split(','):
            mutant, name = item.split(':')
            wanted.setdefault(name, []).append(mutant)
        missed = []
        for name, mutants in wanted.items():
            available = guarded(table, name, 'Java mutants', java_mutants_of, args.classpath, name) or []
            for m, kind, what in available:
                print(f'JAVA MUTANT LIST: {m} on {name} ({kind}): {what}', flush=True)
            chosen = []
            for m in mutants:
                if m in ('all', 'checked'):
                    chosen += [a for a, kind, _ in available if m == 'all' or kind == 'checked']
                elif '+' in m:  # those of these names the GAN has
                    chosen += [a for a, _, _ in available if a in m.split('+')]
                else:
                    chosen.append(m)
            got = guarded(table, name, 'Java mutants', check_java_mutants, name, chosen, args.work, args.classpath,
                          args.data_dir, table, seed)
            missed += chosen if got is None else got
        print(f'({time.time() - started:.0f} s)')
        sys.exit(1 if missed else 0)
    if args.mutate:
        missed = []
        for item in args.mutate.split(','):
            mutation, name = item.split(':')
            what = MUTATIONS[mutation][0]
            worst = guarded(table, name, f'[{mutation}] float64', check_float64, name, args.work, args.classpath,
                            args.data_dir, table, seed, mutation)
            detected = worst is not None and worst > DETECTED
            print(f'MUTATION {"DETECTED" if detected else "MISSED"}: {mutation} ({what}) on {name}: '
                  f'largest float64 difference {worst if worst is not None else float("nan"):.3e} '
                  f'(detected above {DETECTED:.0e})', flush=True)
            if not detected:
                missed.append(mutation)
        print(f'({time.time() - started:.0f} s)')
        sys.exit(1 if missed else 0)
    for name in args.presets.split(','):
        guarded(table, name, 'float64', check_float64, name, args.work, args.classpath, args.data_dir, table, seed)
        if guarded(table, name, 'float32', check_float32, name, args.work, args.classpath, args.data_dir, table,
                   seed) is not None and EXPORT:
            guarded(table, name, 'export', check_export, name, args.work, args.classpath, table)
    if 'dcgan-mnist' in args.presets.split(','):
        guarded(table, 'dcgan-mnist', 'seed 000 checkpoint / SavedModel', check_seed000_checkpoint_and_savedmodel,
                args.work, args.classpath, args.data_dir, table)
    failed = table.print()
    print(f'({time.time() - started:.0f} s)')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
