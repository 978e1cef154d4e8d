#!/bin/sh
# Training throughput of Hopper's runtime (DJL + PyTorch natives) against plain PyTorch, one thread each.
# Usage: bench/throughput.sh   (from anywhere; builds hopper-bench offline, then runs both and prints ratios)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -o -q -B -pl hopper-bench -am package -DskipTests
export MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_NUM_THREADS=1
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
java -Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "hopper-bench/target/classes:hopper-bench/target/lib/*" io.hopper.bench.ThroughputBench | grep '^RESULT' > "$OUT/java"
/usr/bin/python3 bench/pytorch_throughput.py | grep '^RESULT' > "$OUT/torch"
awk 'FNR == NR { torch[$2] = $3; next }
     FNR == 1 { printf "%-34s %14s %14s %8s\n", "figure", "hopper", "pytorch", "ratio" }
     { if ($2 in torch) printf "%-34s %14s %14s %8.2f\n", $2, $3, torch[$2], $3 / torch[$2];
       else printf "%-34s %14s %14s %8s\n", $2, $3, "-", "-" }' "$OUT/torch" "$OUT/java"
