#!/bin/sh
# Training throughput of Hopper's runtime (DJL + PyTorch natives) against plain PyTorch, one thread each.
# Usage: scripts/bench-throughput.sh [REPEATS]   (from anywhere; builds hopper-bench offline, then runs the Java and the Python
# benchmark alternately REPEATS times (default 1) and prints, per figure, the best of the runs and the ratio.)
# Prints the load average before and after: on a loaded machine compare the *_per_cpu_s figures (samples per second of
# process CPU time), since the wall clock then mostly measures the scheduler, and use REPEATS of 3 or more.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -o -q -B -pl hopper-bench -am package -DskipTests
export MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_NUM_THREADS=1
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
REPEATS=${1:-1}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) cores; $REPEATS run(s) of each"
for _ in $(seq "$REPEATS"); do
    java -Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
        -cp "hopper-bench/target/classes:hopper-bench/target/lib/*" io.hopper.bench.ThroughputBench | grep '^RESULT' >> "$OUT/java.all"
    /usr/bin/python3 scripts/pytorch_throughput.py | grep '^RESULT' >> "$OUT/torch.all"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
# The best run of each figure: the lowest time (keys ending in _ms), otherwise the highest value.
best() {
    awk '!($2 in v) { v[$2] = $3; order[n++] = $2; next }
         { if (($2 ~ /_ms$/) ? ($3 + 0 < v[$2] + 0) : ($3 + 0 > v[$2] + 0)) v[$2] = $3 }
         END { for (i = 0; i < n; i++) print "RESULT", order[i], v[order[i]] }' "$1"
}
best "$OUT/java.all" > "$OUT/java"
best "$OUT/torch.all" > "$OUT/torch"
awk 'FNR == NR { torch[$2] = $3; next }
     FNR == 1 { printf "%-38s %14s %14s %8s\n", "figure", "hopper", "pytorch", "ratio" }
     { if ($2 in torch) printf "%-38s %14s %14s %8.2f\n", $2, $3, torch[$2], $3 / torch[$2];
       else printf "%-38s %14s %14s %8s\n", $2, $3, "-", "-" }' "$OUT/torch" "$OUT/java"
