"""The Python half of scripts/bench/run.sh: the seed 000 train step as the tutorial runs it
(a tf.function over tf.data batches of real MNIST), and generation from the exported SavedModel."""
import argparse
import os
import sys
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument('--threads', type=int, default=0)
parser.add_argument('--batch', type=int, default=256)
parser.add_argument('--warmup', type=int, default=5)
parser.add_argument('--steps', type=int, default=30)
parser.add_argument('--data-dir', required=True)
parser.add_argument('--model', required=True)
parser.add_argument('--generate', type=int, default=10000)
parser.add_argument('--generate-batch', type=int, default=500)
args = parser.parse_args()

import tensorflow as tf  # noqa: E402  (threads must be set before any op runs)

if args.threads > 0:
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'parity'))
import refs  # noqa: E402

with open(os.path.join(args.data_dir, 'mnist', 'train-images-idx3-ubyte'), 'rb') as f:
    data = f.read()
train_images = np.frombuffer(data[16:], np.uint8).reshape(60000, 28, 28, 1).astype('float32')
train_images = (train_images - 127.5) / 127.5
BATCH_SIZE = args.batch
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).shuffle(60000).batch(BATCH_SIZE)

generator = refs.dcgan_generator()
discriminator = refs.dcgan_discriminator()
cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
generator_optimizer = tf.keras.optimizers.Adam(1e-4)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)


@tf.function
def train_step(images):  # seed 000's train_step
    noise = tf.random.normal([BATCH_SIZE, 100])
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated_images = generator(noise, training=True)
        real_output = discriminator(images, training=True)
        fake_output = discriminator(generated_images, training=True)
        gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
        disc_loss = cross_entropy(tf.ones_like(real_output), real_output) + cross_entropy(tf.zeros_like(fake_output), fake_output)
    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))
    return gen_loss


times = []
iterator = iter(train_dataset.repeat())
for i in range(args.warmup + args.steps):
    start = time.perf_counter()
    train_step(next(iterator)).numpy()  # .numpy(): wait for the step, as the Java side fetches its losses
    if i >= args.warmup:
        times.append(time.perf_counter() - start)
median = float(np.median(times))
print(f'python train step: median {median:.4f} s, {BATCH_SIZE / median:.1f} images/s ({args.steps} steps after {args.warmup} warm-up)')

model = tf.saved_model.load(args.model)
serving = model.signatures['serving_default']
z = tf.constant(np.random.default_rng(1).uniform(-1, 1, (args.generate_batch, 100)).astype(np.float32))
serving(latents=z)['images'].numpy()  # warm-up
start = time.perf_counter()
done = 0
while done < args.generate:
    serving(latents=z)['images'].numpy()
    done += args.generate_batch
seconds = time.perf_counter() - start
print(f'python generate: {done} images in {seconds:.2f} s, {done / seconds:.1f} images/s (batch {args.generate_batch})')
