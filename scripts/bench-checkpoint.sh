#!/usr/bin/env bash
# Checkpoint figures (docs/benchmarks.md, section "Checkpoints"): the main job's configurations (README: Fashion-MNIST,
# the MLP and the CNN, 8 configurations, caching, 2 workers, seed 1) trained with --checkpoint-every 60 (the default)
# and with 0 (iteration boundaries only), alternating, and the wall-time ratio; then a run killed with SIGKILL right
# after its checkpoint at the end of iteration 1, the checkpoint's size on disk, and the time --resume takes.
#   HOPPER_BENCH_IMAGES      first N training images (default 60000 = the main job); validation gets N/6 test images
#   HOPPER_BENCH_ITERATIONS  iterations (default 3, the main job's)
#   HOPPER_BENCH_REPEATS     fits per setting (default 1)
#   HOPPER_BENCH_EVERY       the interval compared with 0 (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/fashion-mnist.sh
images="${HOPPER_BENCH_IMAGES:-60000}"
iterations="${HOPPER_BENCH_ITERATIONS:-3}"
repeats="${HOPPER_BENCH_REPEATS:-1}"
every="${HOPPER_BENCH_EVERY:-60}"
work="$(mktemp -d /tmp/bench-checkpoint.XXXXXX)"
trap 'rm -rf "$work"' EXIT
store="$work/store"

# The first N images and labels as IDX files (header counts rewritten).
python3 - "$data" "$work" "$images" <<'PY'
import gzip, struct, sys
data, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def cut(name, count, out):
    with gzip.open(f"{data}/{name}.gz", "rb") as f:
        raw = f.read()
    magic, total = struct.unpack(">II", raw[:8])
    dims = (magic & 0xff) - 1
    shape = struct.unpack(">" + "I" * dims, raw[8:8 + 4 * dims])
    size = 1
    for d in shape:
        size *= d
    count = min(count, total)
    with open(f"{work}/{out}", "wb") as f:
        f.write(struct.pack(">II", magic, count) + raw[8:8 + 4 * dims] + raw[8 + 4 * dims:8 + 4 * dims + count * size])
cut("train-images-idx3-ubyte", n, "train-images")
cut("train-labels-idx1-ubyte", n, "train-labels")
cut("t10k-images-idx3-ubyte", max(1, n // 6), "val-images")
cut("t10k-labels-idx1-ubyte", max(1, n // 6), "val-labels")
PY

h() { ./hopper --store "$store" "$@"; }
h preprocess-training --source "idx:$work/train-images,$work/train-labels" --output-table fashion_train \
  --dependent-varname label --independent-varname image --normalizing-const 255 --partitions 2 --seed 1 >/dev/null
h preprocess-validation --source "idx:$work/val-images,$work/val-labels" --output-table fashion_val \
  --training-preprocessor-table fashion_train --dependent-varname label --independent-varname image >/dev/null
h load-keras-model --model-arch-table arch --model-arch examples/fashion_mlp.json --name "MLP 256-128" >/dev/null
h load-keras-model --model-arch-table arch --model-arch examples/fashion_cnn.json --name "CNN 32-64-128" >/dev/null
h load-model-selection-table --model-arch-table arch --model-selection-table mst --model-id-list 1,2 \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.0001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='SGD(lr=0.05, momentum=0.9)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='RMSprop(lr=0.001)', metrics=['accuracy']" \
  --fit-params-list "batch_size=64, epochs=1" >/dev/null
fit() { h fit-multiple-model --source-table fashion_train --model-output-table "$1" --model-selection-table mst \
  --validation-table fashion_val --num-iterations "$iterations" --use-caching --workers 2 --seed 1 --schedule rotation "${@:2}"; }
now() { date +%s.%N; }

echo "bench-checkpoint: $(date -u +%FT%TZ), $images images, $iterations iterations, load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A total=([every]=0 [zero]=0)
for r in $(seq 1 "$repeats"); do
  for setting in every zero; do
    [ "$setting" = every ] && s="$every" || s=0
    t0=$(now); fit "m_${setting}_$r" --checkpoint-every "$s" >/dev/null; t1=$(now)
    t=$(echo "$t1 - $t0" | bc -l)
    total[$setting]=$(echo "${total[$setting]} + $t" | bc -l)
    printf 'fit %d --checkpoint-every %-3s %8.1f s\n' "$r" "$s" "$t"
  done
done
printf 'checkpoint overhead: --checkpoint-every %s / 0 = %.3f\n' "$every" "$(echo "${total[every]} / ${total[zero]}" | bc -l)"

# Kill right after the checkpoint of the end of iteration 1 (the 2nd: the first is written at the start), then resume.
log="$work/killed.log"
HOPPER_JAVA_OPTS="-Dhopper.test.pause-at=checkpoint:2" fit killed --checkpoint-every 0 >/dev/null 2>"$log" &
pid=$!
until grep -q 'hopper-test: paused' "$log" 2>/dev/null; do sleep 1; kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }; done
java_pid="$(pgrep -f 'hopper.test.pause-at=checkpoint:2' | head -1)"
bytes="$(du -sb "$store/killed_checkpoint" | cut -f1)"
kill -9 "$java_pid"; wait "$pid" 2>/dev/null || true
printf 'checkpoint size on disk: %d bytes (%.1f MiB) for 8 configurations\n' "$bytes" "$(echo "$bytes / 1048576" | bc -l)"
t0=$(now); fit killed --checkpoint-every 0 --resume | grep 'resumed at'; t1=$(now)
printf 'resume after iteration 1 of %d, to the end: %.1f s (a whole fit: %.1f s)\n' "$iterations" "$(echo "$t1 - $t0" | bc -l)" \
  "$(echo "${total[zero]} / $repeats" | bc -l)"
