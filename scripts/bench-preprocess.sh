#!/usr/bin/env bash
# Preprocessing figures (docs/benchmarks.md, section "Preprocessing"): builds hopper-core and hopper-bench, starts
# PostgreSQL (.ci/start-postgres.sh) and runs io.hopper.bench.PreprocessBench once per case and store, each in its
# own JVM, for Fashion-MNIST train (Debian's dataset-fashion-mnist, 60,000 images) and UCI adult's numeric columns,
# into a directory store and a PostgreSQL store. Each line gives the median time, rows/s and peak heap; the JVM's
# peak resident memory follows it.
#   HOPPER_BENCH_XMX  maximum heap of each JVM (default 1g)
#   HOPPER_BENCH_RUNS measured runs per case after one warm-up run (default 3)
#   HOPPER_BENCH_DIR  where the directory store and spill files go (default a fresh directory under /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/fashion-mnist.sh
adult="$(pwd)/../shared/data/adult/adult.data.csv"   # the shared data folder beside the repository

pg="$(bash .ci/start-postgres.sh)"
mvn -o -q -B -pl hopper-core,hopper-bench package -DskipTests
cp="hopper-bench/target/hopper-bench-0.1.0-SNAPSHOT.jar:hopper-bench/target/lib/*"
dir_opt=()
if [ -n "${HOPPER_BENCH_DIR:-}" ]; then
  mkdir -p "$HOPPER_BENCH_DIR"
  dir_opt=(--dir "$HOPPER_BENCH_DIR")
fi

echo "bench-preprocess: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), -Xmx${HOPPER_BENCH_XMX:-1g}"
for case in fashion-mnist-train adult-numeric; do
  for store in file postgres; do
    java "-Xmx${HOPPER_BENCH_XMX:-1g}" -Djava.io.tmpdir="${HOPPER_BENCH_DIR:-/tmp}" -cp "$cp" io.hopper.bench.PreprocessBench \
      --fashion "$data" --adult "$adult" --pg "$pg" --case "$case" --store "$store" --runs "${HOPPER_BENCH_RUNS:-3}" \
      "${dir_opt[@]}"
  done
done
