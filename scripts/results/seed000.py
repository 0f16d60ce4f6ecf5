"""Seed 000 (the TensorFlow 2 DCGAN tutorial on Fashion-MNIST) in Python TensorFlow, resumable.

The reference side of scripts/results/seed000.sh. The tutorial's semantics are unchanged: its models
(refs.py, expression for expression the seed's make_generator_model / make_discriminator_model), its
train step (one forward pass, BCE from logits, Adam(1e-4) for each network), batch 256 with the
smaller last batch the tutorial keeps, noise of a full batch every step, a 4x4 grid per epoch. What
is added is what an hours-long run needs to span sittings:
  - a checkpoint after every epoch (tf.train.CheckpointManager, all kept: the judge reads each one),
    holding the tutorial's four objects plus the epoch reached and the noise generator's state;
  - a restart that continues from the latest checkpoint (rerun the same command);
  - the shuffle of epoch e seeded by (seed, e), so a resumed epoch sees the order it would have seen.

  python seed000.py --run-dir DIR --epochs 100 --seed 0 --data-dir data [--threads 2]
"""
import argparse
import os
import time

import numpy as np
import tensorflow as tf

import refs
from parity import idx_images

BUFFER_SIZE = 60000   # seed 000
BATCH_SIZE = 256      # seed 000
NOISE_DIM = 100       # seed 000
LEARNING_RATE = 1e-4  # seed 000: tf.keras.optimizers.Adam(1e-4)
GRID_EXAMPLES = 16    # seed 000: num_examples_to_generate, a 4x4 grid
SHUFFLE_SEED_STRIDE = 1_000_003  # epoch e of seed s shuffles with seed s * stride + e


def save_grid(images, path):
    """A 4x4 grid of [-1, 1] images as an 8-bit PNG (the tutorial draws the same with matplotlib)."""
    pixels = np.clip(np.round(images[..., 0] * 127.5 + 127.5), 0, 255).astype(np.uint8)
    rows = [np.concatenate(list(pixels[r * 4:(r + 1) * 4]), axis=1) for r in range(4)]
    tf.io.write_file(path, tf.io.encode_png(np.concatenate(rows, axis=0)[..., None]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--run-dir', required=True)
    parser.add_argument('--epochs', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--data-dir', required=True, help='holds fashion-mnist/train-images-idx3-ubyte')
    parser.add_argument('--threads', type=int, default=0, help='TensorFlow intra-op threads (0: its choice)')
    args = parser.parse_args()
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)

    raw = idx_images(os.path.join(args.data_dir, 'fashion-mnist', 'train-images-idx3-ubyte'), 60000)
    train_images = ((raw.astype('float32') - 127.5) / 127.5)   # [60000, 28, 28, 1] in [-1, 1]

    tf.keras.utils.set_random_seed(args.seed)
    generator, discriminator = refs.dcgan_generator(), refs.dcgan_discriminator()
    cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    generator_optimizer = tf.keras.optimizers.Adam(LEARNING_RATE)
    discriminator_optimizer = tf.keras.optimizers.Adam(LEARNING_RATE)
    noise_source = tf.random.Generator.from_seed(args.seed)
    epoch = tf.Variable(0, dtype=tf.int64)
    fixed_noise = tf.random.Generator.from_seed(args.seed + 7).normal([GRID_EXAMPLES, NOISE_DIM])
    checkpoint = tf.train.Checkpoint(generator_optimizer=generator_optimizer,
                                     discriminator_optimizer=discriminator_optimizer,
                                     generator=generator, discriminator=discriminator,
                                     epoch=epoch, noise_source=noise_source)
    manager = tf.train.CheckpointManager(checkpoint, os.path.join(args.run_dir, 'training_checkpoints'),
                                         max_to_keep=None, checkpoint_name='ckpt')
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_consumed()
        print(f'resumed from {manager.latest_checkpoint} (epoch {int(epoch.numpy())})', flush=True)

    @tf.function
    def train_step(images):
        noise = noise_source.normal([BATCH_SIZE, NOISE_DIM])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated_images = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated_images, training=True)
            gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
            disc_loss = (cross_entropy(tf.ones_like(real_output), real_output)
                         + cross_entropy(tf.zeros_like(fake_output), fake_output))
        generator_optimizer.apply_gradients(zip(gen_tape.gradient(gen_loss, generator.trainable_variables),
                                                generator.trainable_variables))
        discriminator_optimizer.apply_gradients(
            zip(disc_tape.gradient(disc_loss, discriminator.trainable_variables), discriminator.trainable_variables))
        return gen_loss, disc_loss

    os.makedirs(args.run_dir, exist_ok=True)
    with open(os.path.join(args.run_dir, 'losses.csv'), 'a') as losses:
        while int(epoch.numpy()) < args.epochs:
            e = int(epoch.numpy())
            start = time.time()
            dataset = (tf.data.Dataset.from_tensor_slices(train_images)
                       .shuffle(BUFFER_SIZE, seed=args.seed * SHUFFLE_SEED_STRIDE + e).batch(BATCH_SIZE))
            for batch in dataset:
                gen_loss, disc_loss = train_step(batch)
            losses.write(f'{e + 1},{float(disc_loss)},{float(gen_loss)}\n')
            losses.flush()
            save_grid(generator(fixed_noise, training=False).numpy(),
                      os.path.join(args.run_dir, f'image_at_epoch_{e + 1:04d}.png'))
            epoch.assign(e + 1)
            manager.save(checkpoint_number=e + 1)
            print(f'Time for epoch {e + 1} is {time.time() - start} sec', flush=True)


if __name__ == '__main__':
    main()
