#!/usr/bin/env bash
# Caching figures (docs/benchmarks.md, section "Caching"): builds hopper-core and hopper-bench, starts PostgreSQL
# (.ci/start-postgres.sh) and runs io.hopper.bench.CachingBench in one JVM: seconds per iteration of
# fit-multiple-model with and without --use-caching, and their ratio, for the iris MLP and the Fashion-MNIST CNN
# (Debian's dataset-fashion-mnist), on a directory store, on PostgreSQL with the connection pool and on PostgreSQL
# with a connection per operation (the store before the pool).
#   HOPPER_BENCH_IMAGES  how many of the first Fashion-MNIST training images the CNN trains on (default 10000)
#   HOPPER_BENCH_REPEATS runs per store and caching setting; the best is reported (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/fashion-mnist.sh

pg="$(bash .ci/start-postgres.sh)"
mvn -o -q -B -pl hopper-core,hopper-bench package -DskipTests
export MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_NUM_THREADS=1
echo "bench-caching: $(date -u +%FT%TZ), java $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xss4m -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "hopper-bench/target/hopper-bench-0.1.0-SNAPSHOT.jar:hopper-bench/target/lib/*" io.hopper.bench.CachingBench \
  "$pg" "$data" "${HOPPER_BENCH_IMAGES:-10000}" "${HOPPER_BENCH_REPEATS:-3}"
