#!/usr/bin/env bash
# Search benchmark: random search, ASHA, TPE and PBT on Fashion-MNIST (60,000 training and 10,000 validation images),
# the main job's MLP (examples/fashion_mlp.json), Adam with learning rates from 1e-5 to 1e-1 log-uniform and batch
# sizes 32/64/128, 2 partitions and 2 workers, ranked by validation accuracy, for the same budget in training epochs
# (configurations x epochs): random trains N configurations R epochs; TPE proposes N configurations of R epochs;
# PBT trains a population of N for R epochs (exploiting every max(1, R/3) epochs); ASHA (eta=3, min_r=1, top rung R)
# gets as many configurations as its expected epochs per configuration allow in N x R. Each method runs with
# HOPPER_BENCH_SEEDS random states; the script prints every run (best validation accuracy, epochs trained, the
# search's seconds) and per method the mean and range over the seeds.
#   HOPPER_BENCH_CONFIGS (N, default 12), HOPPER_BENCH_EPOCHS (R, default 9), HOPPER_BENCH_SEEDS (default "1 2 3"),
#   HOPPER_BENCH_WORKERS (default 2), HOPPER_BENCH_STORE (default ./search-bench-store),
#   HOPPER_BENCH_METHODS (default "random asha tpe pbt").
# Full size (about 4 x 3 x 108 configuration-epochs): scripts/bench-search.sh
# A small run: HOPPER_BENCH_CONFIGS=4 HOPPER_BENCH_EPOCHS=3 scripts/bench-search.sh
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/fashion-mnist.sh

n="${HOPPER_BENCH_CONFIGS:-12}"
r="${HOPPER_BENCH_EPOCHS:-9}"
seeds="${HOPPER_BENCH_SEEDS:-1 2 3}"
workers="${HOPPER_BENCH_WORKERS:-2}"
store="${HOPPER_BENCH_STORE:-./search-bench-store}"
rm -rf "$store"
h() { ./hopper --store "$store" "$@"; }

fashion_tables h "$workers" >&2

compile="{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'], 'lr': [0.00001, 0.1, 'log']}], 'metrics': ['accuracy']}"
fit="{'batch_size': [32, 64, 128], 'epochs': [1]}"
budget=$((n * r))
# ASHA's expected epochs per configuration: sum over rungs k of (r_k - r_(k-1)) / 3^k, rungs 1, 3, 9, ... below R, then R.
asha_configs=$(python3 -c "
r=$r; rungs=[]; x=1
while x*3 <= r: rungs.append(x); x*=3
rungs.append(r); prev=0; e=0.0
for k,rk in enumerate(rungs): e += (rk-prev)/3**k; prev=rk
print(max(1, round($budget/e)))")
interval=$(( r / 3 > 0 ? r / 3 : 1 ))
[ "$interval" -ge "$r" ] && interval=$((r - 1))
params() {
  case "$1" in
    random) echo "R=$r, num_configs=$n" ;;
    asha) echo "R=$r, eta=3, min_r=1, num_configs=$asha_configs" ;;
    tpe) echo "num_configs=$n, num_iterations=$r, n_startup=$(( n / 3 > 0 ? n / 3 : 1 ))" ;;
    pbt) echo "population=$n, interval=$interval, iterations=$r" ;;
    *) echo "search-bench: unknown method '$1'; use random, asha, tpe or pbt" >&2; exit 2 ;;
  esac
}
echo "budget: $n configurations x $r epochs = $budget configuration-epochs per search; $workers workers; seeds $seeds"
printf '%-7s %-5s %-44s %9s %7s %8s\n' method seed automl_params accuracy epochs seconds
results=$(mktemp)
for method in ${HOPPER_BENCH_METHODS:-random asha tpe pbt}; do
  p=$(params "$method")
  for seed in $seeds; do
    line=$(h automl --source-table fashion_train --validation-table fashion_val --model-output-table "out_${method}_$seed" \
      --model-arch-table arch --model-id-list 1 --compile-params-grid "$compile" --fit-params-grid "$fit" \
      --automl-method "$method" --automl-params "$p" --rank-by metric --random-state "$seed" --use-caching \
      --workers "$workers" 2>/dev/null | grep "^best " | tail -n 1)
    # best mst_key K (validation_metric 0.8870); N configurations, I iterations in F fits, S s; wrote ...
    acc=$(echo "$line" | sed -E 's/.*validation_metric ([0-9.]+)\).*/\1/')
    epochs=$(echo "$line" | sed -E 's/.* ([0-9]+) iterations in .*/\1/')
    secs=$(echo "$line" | sed -E 's/.* fits?, ([0-9.]+) s;.*/\1/')
    printf '%-7s %-5s %-44s %9s %7s %8s\n' "$method" "$seed" "$p" "$acc" "$epochs" "$secs"
    echo "$method $acc $epochs $secs" >> "$results"
  done
done
echo
echo "per method over the seeds: mean (min-max)"
python3 - "$results" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
order = []
for m, *_ in rows:
    if m not in order:
        order.append(m)
print(f"{'method':7s} {'best validation accuracy':>28s} {'epochs':>16s} {'seconds':>22s}")
for m in order:
    acc = [float(r[1]) for r in rows if r[0] == m]
    ep = [int(r[2]) for r in rows if r[0] == m]
    s = [float(r[3]) for r in rows if r[0] == m]
    f = lambda v, d: f"{sum(v)/len(v):.{d}f} ({min(v):.{d}f}-{max(v):.{d}f})"
    print(f"{m:7s} {f(acc, 4):>28s} {f(ep, 0):>16s} {f(s, 0):>22s}")
EOF
rm -f "$results"
