"""Converts jgan SavedModels with the TensorFlow.js converter, runs them in TensorFlow.js (node run.js)
and compares the images with the SavedModel's serving_default in TensorFlow on the same inputs.
  python check.py WORK MODEL_DIR [MODEL_DIR ...]       (run by tfjs.sh)
Prints one row per model; exit status 1 when one differs by more than 1e-5 or fails to convert.
"""
import json
import os
import subprocess
import sys

import numpy as np
import tensorflow as tf

TOLERANCE = 1e-5  # other kernels (TF.js CPU), float32 sums in another order, images in [-1, 1]


def main():
    work, models = sys.argv[1], sys.argv[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    failed = False
    for i, model in enumerate(models):
        out_dir = os.path.join(work, f'model{i}')
        try:
            subprocess.run([sys.executable, '-m', 'tensorflowjs.converters.converter', '--input_format=tf_saved_model',
                            '--signature_name=serving_default', model, out_dir], check=True, capture_output=True, text=True)
            serving = tf.saved_model.load(model).signatures['serving_default']
            rng = np.random.default_rng(i)
            inputs = {}
            for name, spec in serving.structured_input_signature[1].items():
                width = spec.shape[1]
                inputs[name] = (np.eye(width)[rng.integers(0, width, 5)] if name == 'labels'
                                else rng.standard_normal((5, width))).astype(np.float32)
            expected = serving(**{k: tf.constant(v) for k, v in inputs.items()})['images'].numpy()
            inputs_file, out_file = os.path.join(work, f'inputs{i}.json'), os.path.join(work, f'out{i}.json')
            with open(inputs_file, 'w') as f:
                json.dump({k: {'shape': list(v.shape), 'values': v.ravel().tolist()} for k, v in inputs.items()}, f)
            node = subprocess.run(['node', os.path.join(here, 'run.js'), out_dir, inputs_file, out_file], check=True,
                                  capture_output=True, text=True, cwd=work)
            with open(out_file) as f:
                got = json.load(f)
            images = np.array(got['values'], np.float32).reshape(got['shape'])
            diff = float(np.max(np.abs(images - expected)))
            ok = images.shape == expected.shape and diff <= TOLERANCE
            failed |= not ok
            print(f'{model:<50} inputs {sorted(inputs)}  TF.js images = SavedModel images: {diff:.3e} '
                  f'(tolerance {TOLERANCE:.0e})  {"PASS" if ok else "FAIL"}  [{node.stdout.strip().splitlines()[-1]}]')
        except (subprocess.CalledProcessError, OSError, KeyError, ValueError) as e:
            failed = True
            detail = e.stderr.strip().splitlines()[-1] if isinstance(e, subprocess.CalledProcessError) and e.stderr else e
            print(f'{model:<50} FAIL: {type(e).__name__}: {detail}')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
