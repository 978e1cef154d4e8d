#!/usr/bin/env bash
# Checkpoint figures (docs/benchmarks.md, section "Checkpoints"): the main job's configurations (README: Fashion-MNIST,
# the MLP and the CNN, 8 configurations, caching, 2 workers, seed 1) trained with --checkpoint-every 60 (the default)
# and with 0 (iteration boundaries only), alternating, and the wall-time ratio; then a run killed with SIGKILL right
# after its checkpoint at the end of iteration 1, the checkpoint's size on disk, and the time --resume takes.
#   HOPPER_BENCH_IMAGES      first N training images (default 60000 = the main job); validation gets N/6 test images
#   HOPPER_BENCH_ITERATIONS  iterations (default 3, the main job's)
#   HOPPER_BENCH_REPEATS     fits per setting (default 1; 0 = only the kill and the resume)
#   HOPPER_BENCH_KILL_AT     kill right after this checkpoint (default: a fit's 2nd, a search's 3rd)
#   HOPPER_BENCH_EVERY       the interval compared with 0 (default 60)
#   HOPPER_BENCH_SEARCH      hyperband: an automl Hyperband search instead (R=HOPPER_BENCH_ITERATIONS, eta=3 over the
#                            MLP, Adam lr log-uniform, batch 64 or 128: 5 configurations for R=3), killed right after
#                            its 3rd checkpoint (a configuration reaching its target) and resumed
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
search="${HOPPER_BENCH_SEARCH:-}"
if [ -z "$search" ]; then
  fit() { h fit-multiple-model --source-table fashion_train --model-output-table "$1" --model-selection-table mst \
    --validation-table fashion_val --num-iterations "$iterations" --use-caching --workers 2 --seed 1 --schedule rotation "${@:2}"; }
  kill_at=2 # the checkpoint at the end of iteration 1 (the first is written at the start)
else
  fit() { h automl --source-table fashion_train --model-output-table "$1" --validation-table fashion_val --model-arch-table arch \
    --model-id-list 1 --compile-params-grid "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': \
    ['Adam'], 'lr': [0.0001, 0.01, 'log']}], 'metrics': ['accuracy']}" --fit-params-grid "{'batch_size': [64, 128], 'epochs': [1]}" \
    --automl-method "$search" --automl-params "R=$iterations, eta=3" --use-caching --workers 2 --random-state 1 \
    --schedule rotation "${@:2}"; }
  kill_at=3 # the start, then two configurations reaching their targets
fi
now() { date +%s.%N; }

echo "bench-checkpoint: $(date -u +%FT%TZ), ${search:-fit}, $images images, $iterations iterations, load $(cut -d' ' -f1-3 /proc/loadavg)"
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
if [ "$repeats" -gt 0 ]; then
  printf 'checkpoint overhead: --checkpoint-every %s / 0 = %.3f\n' "$every" "$(echo "${total[every]} / ${total[zero]}" | bc -l)"
fi
kill_at="${HOPPER_BENCH_KILL_AT:-$kill_at}"

# Kill right after a checkpoint (a fit: the end of iteration 1; a search: its 3rd), then resume.
log="$work/killed.log"
HOPPER_JAVA_OPTS="-Dhopper.test.pause-at=checkpoint:$kill_at" fit killed --checkpoint-every 0 >/dev/null 2>"$log" &
pid=$!
until grep -q 'hopper-test: paused' "$log" 2>/dev/null; do sleep 1; kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }; done
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
java_pid=""
for p in $(descendants "$pid"); do # this run's JVM, found among the launcher's own descendants
  if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q "hopper.test.pause-at=checkpoint:$kill_at"; then java_pid="$p"; fi
done
[ -n "$java_pid" ] || { echo "bench-checkpoint: the paused JVM was not found" >&2; exit 1; }
bytes="$(du -sb "$store/killed_checkpoint" | cut -f1)"
kill -9 "$java_pid"; wait "$pid" 2>/dev/null || true
printf 'checkpoint size on disk: %d bytes (%.1f MiB)\n' "$bytes" "$(echo "$bytes / 1048576" | bc -l)"
t0=$(now); fit killed --checkpoint-every 0 --resume | grep 'resumed '; t1=$(now)
printf 'resume after checkpoint %d, to the end: %.1f s\n' "$kill_at" "$(echo "$t1 - $t0" | bc -l)"
[ "$repeats" -eq 0 ] || printf '(a whole run with --checkpoint-every 0: %.1f s)\n' "$(echo "${total[zero]} / $repeats" | bc -l)"
