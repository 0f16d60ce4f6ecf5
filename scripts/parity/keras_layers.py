"""Keras 3 side of KerasLayersParityTest: the io.jgan.nn layers and functional networks, in float64.

The Java side writes --work/spec.json and float64 .npy files, and reads back what this script writes:

  cases:  one Keras layer each, {"name", "class", "config", "merge", "inputs": [{"file", "labels"}],
          "weights": [file, ...], "r": file}. The layer is built as keras.layers.<class>(**config) in a
          functional model over keras.Input's of the inputs' example shapes (an input with "labels"
          holds one-hot rows, given to Keras as the class indices, its Embedding's input), its weights
          set from the files in Keras's order. Written: <name>_y.npy, the output; <name>_gx<i>.npy and
          <name>_gw<j>.npy, the gradients of sum(y * r) with respect to each float input and weight.
  models: a functional network built here by name (see MODELS, the same as the Java test's), its
          weights restored from the Java checkpoint "checkpoint" (tf.train.Checkpoint(generator=model),
          every model variable must be matched), then the same outputs and gradients as a case. Also
          reported: the model's checkpoint keys (tf.train.list_variables of a checkpoint written here),
          the names and classes of model._operations and the paths of model.weights.
  graphs: random graphs of Dense and Add layers, shared or not, {"inputs": [id], "nodes": [{"id",
          "layer", "class", "inputs": [id]}], "output": id}; reported: [op.name for op in
          model._operations], Keras's numbering of the layers.

Prints one JSON object: {"models": {name: {"keys": [...], "operations": [...], "kinds": [...], "weights": [...]}},
"graphs": [[...], ...]}.
"""
import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.config.set_floatx("float64")


def unet():
    x = keras.Input((8, 8, 3), name="images")
    a = layers.Conv2D(4, 3, padding="same")(x)
    a = layers.LeakyReLU(0.2)(a)
    p = layers.ZeroPadding2D(1)(a)
    b = layers.Conv2D(8, 4, strides=2)(p)
    u = layers.UpSampling2D()(b)
    c = layers.Concatenate()([u, a])
    n = layers.LayerNormalization()(c)
    return keras.Model(x, layers.Conv2D(3, 1, activation="tanh")(n))


def conditional():
    z = keras.Input((6,), name="latents")
    y = keras.Input((), dtype="int32", name="labels")
    e = layers.Embedding(3, 6)(y)
    shared = layers.Dense(5, activation="tanh")
    s = layers.Add()([shared(z), shared(e)])
    h = layers.Concatenate()([s, z])
    h = layers.Activation("gelu")(h)
    return keras.Model([z, y], layers.Dense(2)(h))


def critic():
    x = keras.Input((8, 8, 3), name="images")
    h = layers.Conv2D(4, 3, strides=2, padding="same")(x)
    h = layers.LeakyReLU(0.2)(h)
    h = layers.GlobalMaxPooling2D()(h)
    return keras.Model(x, layers.Dense(1)(h))


MODELS = {"unet": unet, "conditional": conditional, "critic": critic}


def load_inputs(work, inputs):
    values = []
    for spec in inputs:
        x = np.load(os.path.join(work, spec["file"]))
        values.append(np.argmax(x, axis=-1).astype(np.int32) if spec.get("labels") else x)
    return values


def outputs_and_gradients(work, name, model, xs, r, weights):
    tensors = [tf.constant(x) for x in xs]
    floats = [t for t in tensors if t.dtype == tf.float64]
    with tf.GradientTape() as tape:
        for t in floats:
            tape.watch(t)
        y = model(tensors if len(tensors) > 1 else tensors[0], training=False)
        loss = tf.reduce_sum(y * r)
    grads = tape.gradient(loss, floats + list(weights))
    np.save(os.path.join(work, name + "_y.npy"), y.numpy())
    for i, g in enumerate(grads[: len(floats)]):
        np.save(os.path.join(work, f"{name}_gx{i}.npy"), g.numpy())
    for j, g in enumerate(grads[len(floats):]):
        np.save(os.path.join(work, f"{name}_gw{j}.npy"), tf.convert_to_tensor(g).numpy())


def run_case(work, case):
    xs = load_inputs(work, case["inputs"])
    ins = []
    for spec, x in zip(case["inputs"], xs):
        ins.append(keras.Input(x.shape[1:], dtype=x.dtype.name))
    layer = getattr(layers, case["class"])(**case["config"])
    out = layer(ins if case["merge"] else ins[0])
    model = keras.Model(ins, out)
    layer.set_weights([np.load(os.path.join(work, f)) for f in case["weights"]])
    r = np.load(os.path.join(work, case["r"]))
    outputs_and_gradients(work, case["name"], model, xs, r, layer.weights)


def checkpoint_keys(model, prefix):
    path = tf.train.Checkpoint(generator=model).write(prefix)
    return sorted(k for k, _ in tf.train.list_variables(path) if k.startswith("generator/"))


def run_model(work, spec):
    model = MODELS[spec["name"]]()
    status = tf.train.Checkpoint(generator=model).read(os.path.join(work, spec["checkpoint"]))
    status.assert_existing_objects_matched()
    status.expect_partial()
    xs = load_inputs(work, spec["inputs"])
    r = np.load(os.path.join(work, spec["r"]))
    outputs_and_gradients(work, spec["name"], model, xs, r, model.weights)
    return {
        "keys": checkpoint_keys(model, os.path.join(work, "python-" + spec["name"])),
        "operations": [op.name for op in model._operations],
        "kinds": [type(op).__name__ for op in model._operations],
        "weights": [w.path for w in model.weights],
    }


def operations_of(graph):
    tensors = {i: keras.Input((4,), name=i) for i in graph["inputs"]}
    made = {}
    for node in graph["nodes"]:
        if node["layer"] not in made:
            made[node["layer"]] = getattr(layers, node["class"])(**({"units": 4} if node["class"] == "Dense" else {}),
                                                                  name=node["layer"])
        args = [tensors[i] for i in node["inputs"]]
        tensors[node["id"]] = made[node["layer"]](args if node["class"] == "Add" else args[0])
    model = keras.Model([tensors[i] for i in graph["inputs"]], tensors[graph["output"]])
    return [op.name for op in model._operations]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.work, "spec.json")) as f:
        spec = json.load(f)
    for case in spec["cases"]:
        run_case(args.work, case)
    result = {"models": {m["name"]: run_model(args.work, m) for m in spec["models"]},
              "graphs": [operations_of(g) for g in spec["graphs"]]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
