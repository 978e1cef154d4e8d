#!/bin/sh
# Training throughput of Hopper's runtime (DJL + PyTorch natives) against plain PyTorch, one thread each.
# Usage: bench/throughput.sh   (from anywhere; builds hopper-bench offline, then runs both and prints ratios)
# Prints the load average before and after: on a loaded machine compare the *_per_cpu_s figures (samples per second of
# process CPU time), since the wall clock then mostly measures the scheduler.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -o -q -B -pl hopper-bench -am package -DskipTests
export MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_NUM_THREADS=1
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) cores"
java -Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "hopper-bench/target/classes:hopper-bench/target/lib/*" io.hopper.bench.ThroughputBench | grep '^RESULT' > "$OUT/java"
/usr/bin/python3 bench/pytorch_throughput.py | grep '^RESULT' > "$OUT/torch"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
awk 'FNR == NR { torch[$2] = $3; next }
     FNR == 1 { printf "%-38s %14s %14s %8s\n", "figure", "hopper", "pytorch", "ratio" }
     { if ($2 in torch) printf "%-38s %14s %14s %8.2f\n", $2, $3, torch[$2], $3 / torch[$2];
       else printf "%-38s %14s %14s %8s\n", $2, $3, "-", "-" }' "$OUT/torch" "$OUT/java"
