#!/usr/bin/env bash
# AutoML benchmark: the same random configurations of the Fashion-MNIST MLP searched three ways (every one trained
# to R: random; Hyperband; ASHA), ranked by validation accuracy; prints, per method, the configurations started,
# the iterations trained, the fits, the wall time and the best validation accuracy.
#   HOPPER_BENCH_R (default 9), HOPPER_BENCH_CONFIGS (default 27), HOPPER_BENCH_STORE (default ./automl-bench-store),
#   HOPPER_BENCH_WORKERS (default 2), HOPPER_BENCH_METHODS (default "random hyperband asha"). Hyperband draws its
#   own number of configurations from R and eta=3.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/fashion-mnist.sh

r="${HOPPER_BENCH_R:-9}"
configs="${HOPPER_BENCH_CONFIGS:-27}"
workers="${HOPPER_BENCH_WORKERS:-2}"
store="${HOPPER_BENCH_STORE:-./automl-bench-store}"
rm -rf "$store"
h() { ./hopper --store "$store" "$@"; }

fashion_tables h "$workers" >&2

compile="{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'], 'lr': [0.00003, 0.03, 'log']}, {'optimizer': ['SGD'], 'lr': [0.001, 0.3, 'log'], 'momentum': [0.0, 0.9]}], 'metrics': ['accuracy']}"
fit="{'batch_size': [32, 64, 128, 256], 'epochs': [1]}"
run() {
  local method="$1" params="$2" start end line
  start=$(date +%s.%N)
  line=$(h automl --source-table fashion_train --validation-table fashion_val --model-output-table "out_$method" \
    --model-arch-table arch --model-id-list 1 --compile-params-grid "$compile" --fit-params-grid "$fit" \
    --automl-method "$method" --automl-params "$params" --rank-by metric --random-state 1 --use-caching \
    --workers "$workers" 2>/dev/null | grep "^best " | tail -n 1)
  end=$(date +%s.%N)
  printf '%-10s %-36s %s (command %.0f s)\n' "$method" "$params" "$line" "$(echo "$end - $start" | bc)"
}
for method in ${HOPPER_BENCH_METHODS:-random hyperband asha}; do
  case "$method" in
    random) run random "R=$r, num_configs=$configs" ;;
    hyperband) run hyperband "R=$r, eta=3, skip_last=0" ;;
    asha) run asha "R=$r, eta=3, min_r=1, num_configs=$configs" ;;
    *) echo "automl-bench: unknown method '$method'; use random, hyperband or asha" >&2; exit 2 ;;
  esac
done
