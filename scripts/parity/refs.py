"""The seed tutorials' own Keras models and train steps, the reference the Java presets are checked
against. Each model is written from the seed's code (../shared/seeds/); seeds 002 (Julia) and 004
(TensorFlow 1 graph code) are written as the equivalent Keras models. Train steps take every random
number from outside (noise, dropout keep-masks, label noise, penalty alphas) so both sides can be
fed the same ones.
"""
import keras
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models


# --- networks --------------------------------------------------------------------------------------

def dcgan_generator():  # seed 000 make_generator_model
    model = tf.keras.Sequential()
    model.add(layers.Dense(7 * 7 * 256, use_bias=False, input_shape=(100,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 7, 256)))
    model.add(layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding='same', use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding='same', use_bias=False, activation='tanh'))
    return model


def dcgan_discriminator():  # seed 000 make_discriminator_model
    model = tf.keras.Sequential()
    model.add(layers.Conv2D(64, (5, 5), strides=(2, 2), padding='same', input_shape=[28, 28, 1]))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Conv2D(128, (5, 5), strides=(2, 2), padding='same'))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    return model


def mlp_generator():  # seed 001
    init = tf.keras.initializers.RandomNormal(stddev=0.02)
    return tf.keras.Sequential([tf.keras.Input(shape=(100,)),
                                layers.Dense(256, kernel_initializer=init), layers.LeakyReLU(0.2),
                                layers.Dense(512), layers.LeakyReLU(0.2),
                                layers.Dense(1024), layers.LeakyReLU(0.2),
                                layers.Dense(784, activation='tanh')])


def mlp_discriminator():  # seed 001
    init = tf.keras.initializers.RandomNormal(stddev=0.02)
    return tf.keras.Sequential([tf.keras.Input(shape=(784,)),
                                layers.Dense(1024, kernel_initializer=init), layers.LeakyReLU(0.2), layers.Dropout(0.3),
                                layers.Dense(512), layers.LeakyReLU(0.2), layers.Dropout(0.3),
                                layers.Dense(256), layers.LeakyReLU(0.2), layers.Dropout(0.3),
                                layers.Dense(1, activation='sigmoid')])


def tf1_generator():  # seed 004: relu(z W1 + b1) W2 + b2, sigmoid
    return tf.keras.Sequential([tf.keras.Input(shape=(100,)), layers.Dense(128, activation='relu'),
                                layers.Dense(784, activation='sigmoid')])


def tf1_discriminator():  # seed 004: relu(x W1 + b1) W2 + b2, a logit
    return tf.keras.Sequential([tf.keras.Input(shape=(784,)), layers.Dense(128, activation='relu'), layers.Dense(1)])


def flux_generator():  # seed 002 Generator(latent_dim) in Keras terms
    init = tf.keras.initializers.RandomNormal(stddev=0.02)
    bn = dict(momentum=0.9, epsilon=1e-5)
    return tf.keras.Sequential([tf.keras.Input(shape=(100,)),
                                layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(**bn), layers.ReLU(),
                                layers.Reshape((7, 7, 256)),
                                layers.Conv2DTranspose(128, 5, strides=1, padding='same', use_bias=False, kernel_initializer=init),
                                layers.BatchNormalization(**bn), layers.ReLU(),
                                layers.Conv2DTranspose(64, 4, strides=2, padding='same', use_bias=False, kernel_initializer=init),
                                layers.BatchNormalization(**bn), layers.ReLU(),
                                layers.Conv2DTranspose(1, 4, strides=2, padding='same', use_bias=False, activation='tanh',
                                                       kernel_initializer=init)])


def flux_discriminator():  # seed 002 Discriminator()
    init = tf.keras.initializers.RandomNormal(stddev=0.02)
    return tf.keras.Sequential([tf.keras.Input(shape=(28, 28, 1)),
                                layers.Conv2D(64, 4, strides=2, padding='same', kernel_initializer=init), layers.LeakyReLU(0.2),
                                layers.Dropout(0.3),
                                layers.Conv2D(128, 4, strides=2, padding='same', kernel_initializer=init), layers.LeakyReLU(0.2),
                                layers.Dropout(0.3), layers.Flatten(), layers.Dense(1)])


def lego_discriminator():  # seed 003 DCGAN discriminator (functional)
    discriminator_input = layers.Input(shape=(64, 64, 1))
    x = layers.Conv2D(64, kernel_size=4, strides=2, padding="same", use_bias=False)(discriminator_input)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Dropout(0.3)(x)
    for n in (128, 256, 512):
        x = layers.Conv2D(n, kernel_size=4, strides=2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.LeakyReLU(0.2)(x)
        x = layers.Dropout(0.3)(x)
    x = layers.Conv2D(1, kernel_size=4, strides=1, padding="valid", use_bias=False, activation='sigmoid')(x)
    return models.Model(discriminator_input, layers.Flatten()(x))


def lego_generator(channels=1, last_bias=False, z_dim=100):  # seed 003 DCGAN generator (functional)
    generator_input = layers.Input(shape=(z_dim,))
    x = layers.Reshape((1, 1, z_dim))(generator_input)
    x = layers.Conv2DTranspose(512, kernel_size=4, strides=1, padding="valid", use_bias=False)(x)
    x = layers.BatchNormalization(momentum=0.9)(x)
    x = layers.LeakyReLU(0.2)(x)
    for n in (256, 128, 64):
        x = layers.Conv2DTranspose(n, kernel_size=4, strides=2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.LeakyReLU(0.2)(x)
    out = layers.Conv2DTranspose(channels, kernel_size=4, strides=2, padding="same", use_bias=last_bias, activation='tanh')(x)
    return models.Model(generator_input, out)


def wgan_critic():  # seed 003 WGAN-GP critic (functional)
    critic_input = layers.Input(shape=(64, 64, 3))
    x = layers.Conv2D(64, kernel_size=4, strides=2, padding="same")(critic_input)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(128, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU()(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Conv2D(256, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Conv2D(512, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Conv2D(1, kernel_size=4, strides=1, padding="valid")(x)
    return models.Model(critic_input, layers.Flatten()(x))


def cwgan_critic(classes):  # seed 003 conditional critic (functional, image + label channels)
    critic_input = layers.Input(shape=(64, 64, 3))
    label_input = layers.Input(shape=(64, 64, classes))
    x = layers.Concatenate(axis=-1)([critic_input, label_input])
    x = layers.Conv2D(64, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(128, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU()(x)
    x = layers.Dropout(0.3)(x)
    for _ in range(2):
        x = layers.Conv2D(128, kernel_size=4, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
        x = layers.Dropout(0.3)(x)
    x = layers.Conv2D(1, kernel_size=4, strides=1, padding="valid")(x)
    return models.Model([critic_input, label_input], layers.Flatten()(x))


def cwgan_generator(classes, z_dim=32):  # seed 003 conditional generator
    generator_input = layers.Input(shape=(z_dim,))
    label_input = layers.Input(shape=(classes,))
    x = layers.Concatenate(axis=-1)([generator_input, label_input])
    x = layers.Reshape((1, 1, z_dim + classes))(x)
    x = layers.Conv2DTranspose(128, kernel_size=4, strides=1, padding="valid", use_bias=False)(x)
    x = layers.BatchNormalization(momentum=0.9)(x)
    x = layers.LeakyReLU(0.2)(x)
    for n in (128, 128, 64):
        x = layers.Conv2DTranspose(n, kernel_size=4, strides=2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.LeakyReLU(0.2)(x)
    out = layers.Conv2DTranspose(3, kernel_size=4, strides=2, padding="same", activation='tanh')(x)
    return models.Model([generator_input, label_input], out)


def keras_io_cgan_generator(classes=10, latent_dim=128):  # keras-io conditional_gan.py, its generator
    generator_in_channels = latent_dim + classes
    return keras.Sequential([
        keras.layers.InputLayer((generator_in_channels,)),
        layers.Dense(7 * 7 * generator_in_channels),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, generator_in_channels)),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ], name="generator")


def keras_io_cgan_discriminator(classes=10):  # keras-io conditional_gan.py, its discriminator
    discriminator_in_channels = 1 + classes
    return keras.Sequential([
        keras.layers.InputLayer((28, 28, discriminator_in_channels)),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(128, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ], name="discriminator")


def keras_io_image_labels(one_hot_labels, image_size=28):
    """The tutorial's own tiling of the labels for D, verbatim: ops.repeat without an axis flattens, so
    label k lands on rows 2.8k to 2.8k + 2.8 of all the channels, not on channel k (the 'keras-io-tiling'
    mutation; the reference otherwise broadcasts each label over its channel, as the comment intends)."""
    num_classes = one_hot_labels.shape[1]
    image_one_hot_labels = one_hot_labels[:, :, None, None]
    image_one_hot_labels = keras.ops.repeat(image_one_hot_labels, repeats=[image_size * image_size])
    return keras.ops.reshape(image_one_hot_labels, (-1, image_size, image_size, num_classes))


class Preset:
    """What one preset needs on the Python side. A GAN defined outside jgan's catalogue names the class
    whose public static gan() and plan() the Java driver trains (java_class); joined: its Keras models take
    the labels concatenated to their inputs (keras-io's Sequential models), not as a second input;
    uniform: latents U(-1, 1) (seed 004) rather than N(0, 1)."""

    def __init__(self, name, generator, discriminator, adam, step, latent, image, loss=None, classes=0,
                 flat=False, unit=False, uniform=False, joined=False, java_class=None):
        self.name, self.generator, self.discriminator = name, generator, discriminator
        self.adam, self.step, self.latent, self.image = adam, step, latent, image
        self.loss, self.classes, self.flat, self.unit = loss, classes, flat, unit
        self.uniform, self.joined, self.java_class = uniform, joined, java_class


PRESETS = {
    'dcgan-mnist': Preset('dcgan-mnist', dcgan_generator, dcgan_discriminator, dict(learning_rate=1e-4),
                          'simultaneous', 100, (28, 28, 1), loss='logits'),
    'dcgan-fashion': Preset('dcgan-fashion', dcgan_generator, dcgan_discriminator, dict(learning_rate=1e-4),
                            'simultaneous', 100, (28, 28, 1), loss='logits'),
    'gan-mlp': Preset('gan-mlp', mlp_generator, mlp_discriminator, dict(learning_rate=0.0002, beta_1=0.5),
                      'alternating-mixed', 100, (28, 28, 1), loss='probabilities', flat=True),
    'gan-tf1': Preset('gan-tf1', tf1_generator, tf1_discriminator, dict(learning_rate=0.001, epsilon=1e-8),
                      'alternating-fresh', 100, (28, 28, 1), loss='logits', flat=True, unit=True, uniform=True),
    'dcgan-flux': Preset('dcgan-flux', flux_generator, flux_discriminator, dict(learning_rate=0.0002, epsilon=1e-8),
                         'alternating-same', 100, (28, 28, 1), loss='logits'),
    'dcgan-lego': Preset('dcgan-lego', lego_generator, lego_discriminator,
                         dict(learning_rate=0.0002, beta_1=0.5, beta_2=0.999), 'simultaneous-noisy', 100, (64, 64, 1),
                         loss='probabilities'),
    'wgan-gp': Preset('wgan-gp', lambda: lego_generator(3, True, 128), wgan_critic,
                      dict(learning_rate=0.0002, beta_1=0.5, beta_2=0.9), 'wgan', 128, (64, 64, 3)),
    'cwgan-gp': Preset('cwgan-gp', lambda: cwgan_generator(2), lambda: cwgan_critic(2),
                       dict(learning_rate=0.00005, beta_1=0.5, beta_2=0.9), 'wgan', 32, (64, 64, 3), classes=2),
    # Not a preset: examples/conditional-gan, a program's own GAN, against keras-io's conditional GAN.
    'conditional-gan': Preset('conditional-gan', keras_io_cgan_generator, keras_io_cgan_discriminator,
                              dict(learning_rate=0.0003), 'keras-io-cgan', 128, (28, 28, 1), classes=10, unit=True,
                              joined=True, java_class='ConditionalGan'),
}


# --- fed randomness ----------------------------------------------------------------------------------

class FedDropout:
    """Replaces every Dropout layer's call by x / (1 - rate) * mask, with masks given in call order;
    in recording mode it only notes the shape each call would need."""

    def __init__(self, *networks):
        self.queue = []
        self.recording = None
        for network in networks:
            for layer in network.layers:
                if isinstance(layer, layers.Dropout):
                    layer.call = self._call(layer)

    def _call(self, layer):
        def call(inputs, training=None):
            if not training:
                return inputs
            if self.recording is not None:
                self.recording.append(tuple(inputs.shape))
                return inputs
            mask = self.queue.pop(0)
            assert mask.shape == tuple(inputs.shape), (mask.shape, inputs.shape)
            assert mask.dtype == inputs.dtype, (mask.dtype, inputs.dtype)
            # As tf.nn.experimental.stateless_dropout: x * (1 / (1 - rate)), the scale computed in
            # double and converted to x's type (convert_to_tensor with the dtype, not a float32 cast),
            # then the keep-mask (TF selects x * scale where kept, 0 elsewhere: the same values).
            return inputs * tf.constant(1.0 / (1.0 - layer.rate), dtype=inputs.dtype) * mask
        return call

    def shapes(self, fn):
        """The mask shapes fn's dropout calls need, in call order (fn runs without dropout)."""
        self.recording = []
        try:
            fn()
            return self.recording
        finally:
            self.recording = None

    def feed(self, masks):
        assert not self.queue, f'{len(self.queue)} masks left over from the previous pass'
        self.queue = list(masks)

    def done(self):
        assert not self.queue, f'{len(self.queue)} masks unused'
