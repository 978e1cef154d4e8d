#!/usr/bin/env bash
# Whole-run time of the Fashion-MNIST CNN selection (examples/fashion_cnn.json, Adam lr 0.001 and 0.0001,
# batch 64, 2 partitions): the embedded engine with two workers against local-cluster[2,1,2048] (two executor
# JVMs), each with and without caching. By default it trains on Fashion-MNIST's 10,000 test images to keep the
# run short; FULL=1 trains on the 60,000 training images. ITERATIONS (default 2) iterations.
#   scripts/bench-spark-fit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=/usr/share/datasets/fashion-mnist
file() { if [ -e "$data/$1.gz" ]; then echo "$data/$1.gz"; else echo "$data/$1"; fi; }
set_name=t10k
[ "${FULL:-0}" = 1 ] && set_name=train
iterations="${ITERATIONS:-2}"
store="$(mktemp -d)/store"
h() { ./hopper --store "$store" "$@"; }

h preprocess-training --source "idx:$(file $set_name-images-idx3-ubyte),$(file $set_name-labels-idx1-ubyte)" \
  --output-table fashion --dependent-varname label --independent-varname image \
  --normalizing-const 255 --partitions 2 --seed 1 >/dev/null
h load-keras-model --model-arch-table arch --model-arch examples/fashion_cnn.json --name "CNN" >/dev/null
h load-model-selection-table --model-arch-table arch --model-selection-table mst --model-id-list 1 \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.0001)', metrics=['accuracy']" \
  --fit-params-list "batch_size=64, epochs=1" >/dev/null

run() { # name, extra flags...; prints "wall_seconds training_seconds"
  local name="$1"; shift
  local start end line
  start=$(date +%s.%N)
  line=$(h fit-multiple-model --source-table fashion --model-output-table "out_$name" --model-selection-table mst \
    --num-iterations "$iterations" --workers 2 --seed 1 --schedule rotation "$@" 2>/dev/null | grep "^trained " | tail -n 1)
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(sed -E 's/.* in ([0-9.]+) s;.*/\1/' <<<"$line")"
}
# Wall time includes the JVM (and for Spark the executors') start; training time is the fit's, first unit to last.
printf '%-28s %10s %12s %s\n' "engine" "wall" "training" "training vs embedded with caching"
read -r wall base < <(run embedded_cached --use-caching)
printf '%-28s %8.1f s %10.1f s  1.00x\n' "embedded, caching" "$wall" "$base"
for v in "embedded_uncached:embedded, no caching:" \
         "spark_cached:local-cluster, caching:--use-caching --engine spark --spark-master local-cluster[2,1,2048]" \
         "spark_uncached:local-cluster, no caching:--engine spark --spark-master local-cluster[2,1,2048]"; do
  IFS=: read -r name label flags <<<"$v"
  # shellcheck disable=SC2086
  read -r wall t < <(run "$name" $flags)
  printf '%-28s %8.1f s %10.1f s  %.2fx\n' "$label" "$wall" "$t" "$(echo "$t / $base" | bc -l)"
done
rm -rf "$(dirname "$store")"
