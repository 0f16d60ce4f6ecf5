"""The sample-quality metrics of `evaluate`, recomputed with numpy and scipy, run by MetricsParityTest.

The Java side judges images with a judge SavedModel and writes, as float64 .npy files in --work:
  <set>_features.npy [n, d], <set>_logits.npy [n, k]   the judge's outputs for each set to measure
  <set>_requested.npy [n]                             (optional) the class each image was asked for
  <set>_kid_a.npy, <set>_kid_b.npy [subsets, m]        the KID subsets (row indices) of the set and the reference
  reference_features.npy [N, d], reference_labels.npy [N]
  judge_inputs.npy [n, h, w, c] (float32), with --judge DIR: images the judge saw, run again here
and this script prints one JSON object: for each set, the metrics computed the way the reference
implementations compute them:
  classifier score: TF-GAN's classifier_score_from_logits (exp of the mean KL of p(y|x) to p(y), one split)
  Frechet distance: pytorch-fid / torch-fidelity, scipy.linalg.sqrtm of sigma1 . sigma2, real part; also
    through numpy's symmetric eigh (the route Java takes, on LAPACK), and the size of its terms
    ||m1 - m2||^2 + Tr S1 + Tr S2, against which sqrtm's rounding is measured
  KID: torch-fidelity's unbiased MMD^2 with the kernel (x . y / d + 1)^3, mean and std over the subsets
  class shares, label accuracy, per-class Frechet distance against the reference images of that class
and, with --judge, the largest difference between Java's judge outputs and the SavedModel run by
Python TensorFlow on the same inputs.
"""
import argparse
import json
import os

import numpy as np
import scipy.linalg
import scipy.special


def classifier_score(logits):
    log_p = logits - scipy.special.logsumexp(logits, axis=1, keepdims=True)
    p = np.exp(log_p)
    log_marginal = np.log(p.mean(axis=0))
    return float(np.exp(np.mean(np.sum(p * (log_p - log_marginal), axis=1))))


def frechet_distance(a, b):
    mu1, mu2 = a.mean(axis=0), b.mean(axis=0)
    sigma1, sigma2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        raise SystemExit('sqrtm gave non-finite values: the covariances are too singular for this check')
    covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def frechet_distance_eigh(a, b):
    """The same distance through symmetric matrices only (numpy's LAPACK eigh): Tr sqrt(S1 S2) as the sum of
    the square roots of the eigenvalues of sqrt(S1) S2 sqrt(S1)."""
    mu1, mu2 = a.mean(axis=0), b.mean(axis=0)
    sigma1, sigma2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(sigma1)
    root = (v * np.sqrt(np.maximum(w, 0))).dot(v.T)
    product = root.dot(sigma2).dot(root)
    eigenvalues = np.linalg.eigvalsh((product + product.T) / 2)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.sum(np.sqrt(np.maximum(eigenvalues, 0))))


def frechet_scale(a, b):
    """||m1 - m2||^2 + Tr(S1) + Tr(S2): the size of the terms whose difference the distance is."""
    diff = a.mean(axis=0) - b.mean(axis=0)
    return float(diff.dot(diff) + np.trace(np.cov(a, rowvar=False)) + np.trace(np.cov(b, rowvar=False)))


def polynomial_kernel(x, y):
    return (x.dot(y.T) / x.shape[1] + 1) ** 3


def mmd2_unbiased(x, y):
    m = x.shape[0]
    k_xx, k_yy, k_xy = polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y)
    sum_xx = k_xx.sum() - np.diagonal(k_xx).sum()
    sum_yy = k_yy.sum() - np.diagonal(k_yy).sum()
    return (sum_xx + sum_yy) / (m * (m - 1)) - 2 * k_xy.sum() / (m * m)


def load(work, name):
    return np.load(os.path.join(work, name + '.npy'))


def measure(work, name, reference, reference_labels):
    features, logits = load(work, name + '_features'), load(work, name + '_logits')
    classes = logits.shape[1]
    predicted = np.argmax(logits, axis=1)
    out = {
        'classifierScore': classifier_score(logits),
        'frechetDistance': frechet_distance(features, reference),
        'frechetDistanceEigh': frechet_distance_eigh(features, reference),
        'frechetScale': frechet_scale(features, reference),
        'classShares': [float(np.mean(predicted == c)) for c in range(classes)],
    }
    subsets_a = load(work, name + '_kid_a').astype(np.int64)
    subsets_b = load(work, name + '_kid_b').astype(np.int64)
    values = [mmd2_unbiased(features[a], reference[b]) for a, b in zip(subsets_a, subsets_b)]
    out['kid'] = float(np.mean(values))
    out['kidStd'] = float(np.std(values))
    requested_file = os.path.join(work, name + '_requested.npy')
    if os.path.exists(requested_file):
        requested = np.load(requested_file).astype(np.int64)
        out['labelAccuracy'] = float(np.mean(predicted == requested))
        pairs = [(features[requested == c], reference[reference_labels == c]) for c in range(classes)]
        out['perClassFrechetDistance'] = [frechet_distance(a, b) for a, b in pairs]
        out['perClassFrechetDistanceEigh'] = [frechet_distance_eigh(a, b) for a, b in pairs]
        out['perClassFrechetScale'] = [frechet_scale(a, b) for a, b in pairs]
    return out


def judge_difference(work, judge_dir):
    import tensorflow as tf
    model = tf.saved_model.load(judge_dir)
    outputs = model.signatures['features'](images=tf.constant(load(work, 'judge_inputs')))
    java_features, java_logits = load(work, 'samples_features'), load(work, 'samples_logits')
    n = java_features.shape[0]
    features = outputs['features'].numpy().astype(np.float64)
    logits = outputs['logits'].numpy().astype(np.float64)
    return {
        'features': float(np.max(np.abs(features - java_features[:n])) / np.max(np.abs(features))),
        'logits': float(np.max(np.abs(logits - java_logits[:n])) / np.max(np.abs(logits))),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--work', required=True)
    parser.add_argument('--sets', required=True, help='comma-separated names of the sets to measure')
    parser.add_argument('--judge', help='a judge SavedModel to run on judge_inputs.npy')
    args = parser.parse_args()
    reference = load(args.work, 'reference_features')
    reference_labels = load(args.work, 'reference_labels').astype(np.int64)
    result = {name: measure(args.work, name, reference, reference_labels) for name in args.sets.split(',')}
    if args.judge:
        result['judgeRelativeDifference'] = judge_difference(args.work, args.judge)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
