"""Keras 3 optimizers run on given weights and gradients, for OptimizerParityTest.

Reads one JSON object (--input):
  dtype           "float64" or "float32" (also Keras's floatx, so the learning rate variable takes it)
  shapes          one shape per weight
  weights         initial values, one flat row-major list per weight
  gradients       [step][weight] flat lists
  optimizers      [{"name", "kind": "rmsprop"|"sgd"|"adam", Keras constructor arguments...}]
For each optimizer, builds the Keras 3 optimizer with those arguments on fresh keras.Variables named w0, w1, ...,
calls optimizer.apply(gradients, variables) once per step, and records after every step the weights and every
slot list the optimizer holds (Keras's own attributes: _velocities, _momentums, _average_gradients, momentums).
Then saves tf.train.Checkpoint(model=<tf.Module with w0, w1, ...>, optimizer=optimizer) under --work/<name>/ckpt
and lists its keys with tf.train.list_variables. Prints one JSON object: {name: {"steps": [{"weights": [...],
"slots": {attribute: [...]}}], "iterations", "checkpoint": prefix, "keys": [...]}}.
"""
import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

SLOT_ATTRIBUTES = ["_momentums", "_velocities", "_average_gradients", "momentums"]


def make(spec):
    args = {k: v for k, v in spec.items() if k not in ("name", "kind")}
    kind = spec["kind"]
    if kind == "rmsprop":
        return keras.optimizers.RMSprop(**args)
    if kind == "sgd":
        return keras.optimizers.SGD(**args)
    if kind == "adam":
        return keras.optimizers.Adam(**args)
    raise SystemExit("unknown optimizer kind " + kind)


def flat(v):
    return np.asarray(keras.ops.convert_to_numpy(v)).reshape(-1).tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    with open(args.input) as f:
        spec = json.load(f)
    dtype = spec["dtype"]
    keras.config.set_floatx(dtype)
    out = {}
    for opt_spec in spec["optimizers"]:
        variables = [keras.Variable(np.asarray(w, dtype=dtype).reshape(shape), dtype=dtype, name="w%d" % i)
                     for i, (w, shape) in enumerate(zip(spec["weights"], spec["shapes"]))]
        optimizer = make(opt_spec)
        steps = []
        for step_gradients in spec["gradients"]:
            grads = [tf.constant(np.asarray(g, dtype=dtype).reshape(shape))
                     for g, shape in zip(step_gradients, spec["shapes"])]
            optimizer.apply(grads, variables)
            slots = {}
            for attribute in SLOT_ATTRIBUTES:
                held = getattr(optimizer, attribute, None)
                if held:
                    slots[attribute] = [flat(v) for v in held]
            steps.append({"weights": [flat(v) for v in variables], "slots": slots})
        model = tf.Module()
        for i, v in enumerate(variables):
            setattr(model, "w%d" % i, v)
        directory = os.path.join(args.work, opt_spec["name"])
        os.makedirs(directory, exist_ok=True)
        prefix = tf.train.Checkpoint(model=model, optimizer=optimizer).save(os.path.join(directory, "ckpt"))
        out[opt_spec["name"]] = {
            "steps": steps,
            "iterations": int(keras.ops.convert_to_numpy(optimizer.iterations)),
            "checkpoint": prefix,
            "keys": sorted(k for k, _ in tf.train.list_variables(prefix)),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
