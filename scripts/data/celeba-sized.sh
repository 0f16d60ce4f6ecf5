#!/usr/bin/env bash
# What an image folder of CelebA's size costs: 202,599 PNG files of 64x64 RGB (MNIST exported with
# export-images --rgb, the train split three times, the test split, and 12,599 more: distinct files
# in five sub-folders), then
#   1. a first wgan-gp run (--steps 1, batch 64): decoding into the cache, its rate and size;
#   2. a second identical run: the cache is checked and read, nothing is decoded;
#   2b. the same at the preset's batch size, 512;
#   3. one full epoch of batches of 512 read through the cache and the prefetch thread, no
#      training, with the mappings released every 128 images read (the default: 256 MiB charged at
#      2 MiB a read) and never.
# Each run is a JVM of its own, in-process (TF_CPP_MIN_LOG_LEVEL set: no child JVM), measured by
# /usr/bin/time -v; lines are prefixed with the seconds since the run started.
#   bash scripts/data/celeba-sized.sh [folder] [cache-dir]
# About 2.5 GB of disk for the cache and 800 MB for the folder; 5 to 10 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
folder="${1:-/tmp/jgan-celeba-sized}"
cache="${2:-/tmp/jgan-celeba-sized-cache}"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
classes="$(mktemp -d)"
cp -r target/classes/. "$classes"
cp="$classes:$(cat target/classpath.txt)"
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1
jgan() { java -cp "$cp" io.jgan.cli.Main "$@"; }

if [ ! -f "$folder/.complete" ]; then
  rm -rf "$folder"
  jgan export-images --dataset mnist --out "$folder/a" --size 64 --rgb
  cp -r "$folder/a" "$folder/b"
  cp -r "$folder/a" "$folder/c"
  jgan export-images --dataset mnist --out "$folder/d" --size 64 --rgb --test-split
  mkdir -p "$folder/e"
  (cd "$folder/a" && ls | grep '\.png$' | sed -n 1,12599p | xargs cp -t ../e)
  touch "$folder/.complete"
fi
echo "folder $folder: $(find "$folder" -name '*.png' | wc -l) PNG files, $(du -sh "$folder" | cut -f1)"

stamped() { # command...: its output with the seconds since it started, then /usr/bin/time's figures
  local start
  start="$(date +%s.%N)"
  /usr/bin/time -v -o /tmp/jgan-time.txt "$@" 2>&1 | while IFS= read -r line; do
    printf '%7.1f s  %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$line"
  done | grep -E "Decod|Reading|cache|Data:|Epoch 1/|Last step|Peak|load|epoch" || true
  grep -E "Maximum resident|Elapsed" /tmp/jgan-time.txt
}

rm -rf "$cache" runs/celeba-sized-1 runs/celeba-sized-2 runs/celeba-sized-3
echo "== 1. first run: decode into $cache, then one wgan-gp step at batch 64"
stamped java -cp "$cp" io.jgan.cli.Main train --preset wgan-gp --data "$folder" --cache-dir "$cache" --steps 1 \
  --batch-size 64 --run-dir runs/celeba-sized-1
ls -l "$cache"
echo "== 2. second run: the same command on a new run directory"
stamped java -cp "$cp" io.jgan.cli.Main train --preset wgan-gp --data "$folder" --cache-dir "$cache" --steps 1 \
  --batch-size 64 --run-dir runs/celeba-sized-2
echo "== 2b. the second run's command at wgan-gp's own batch size, 512"
stamped java -cp "$cp" io.jgan.cli.Main train --preset wgan-gp --data "$folder" --cache-dir "$cache" --steps 1 \
  --run-dir runs/celeba-sized-3
echo "== 3a. one epoch of batches of 512 through the cache, mappings released every 128 images read (the default)"
stamped java -cp "$cp" io.jgan.bench.FolderEpochBenchmark "$folder" "$cache" 512 3 256
echo "== 3b. the same, mappings never released"
stamped java -cp "$cp" io.jgan.bench.FolderEpochBenchmark "$folder" "$cache" 512 3 0
rm -rf "$classes"
