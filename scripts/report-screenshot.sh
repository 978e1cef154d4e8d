#!/usr/bin/env bash
# Renders a fit's HTML report in headless Chromium and saves a screenshot, to check it as a person would.
#   scripts/report-screenshot.sh [REPORT.html] [OUT.png]
# Without REPORT.html it runs a small demo fit (iris with a fifth held out for validation, four configurations,
# 8 iterations, metrics every iteration) in a temporary store first. docs/report.png is README's session's report:
#   scripts/report-screenshot.sh hopper-store/html-reports/models.html OUT.png defaults to docs/report.png. Needs Debian's chromium (apt-get install -y chromium).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report="${1:-}"
png="${2:-$here/docs/report.png}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "report-screenshot: error: chromium is not installed; run 'apt-get install -y chromium'" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -z "$report" ]; then
  hopper() { "$here/hopper" --store "$work/store" "$@"; }
  x=sepal_length,sepal_width,petal_length,petal_width
  hopper preprocess-training --source "csv:$here/examples/iris.csv" --output-table iris --dependent-varname species \
    --independent-varname "$x" --partitions 3 --seed 1 --validation-fraction 0.2 --validation-output-table iris_v >/dev/null
  hopper load-keras-model --model-arch-table arch --model-arch "$here/examples/iris_mlp.json" >/dev/null
  c="loss='categorical_crossentropy', metrics=['accuracy'], optimizer="
  hopper load-model-selection-table --model-arch-table arch --model-selection-table mst --model-id-list 1 \
    --compile-params-list "${c}'Adam(lr=0.01)'" --compile-params-list "${c}'Adam(lr=0.001)'" \
    --compile-params-list "${c}'SGD(lr=0.1, momentum=0.9)'" --compile-params-list "${c}'RMSprop(lr=0.0001)'" \
    --fit-params-list "batch_size=16, epochs=1" >/dev/null
  report="$work/iris_models.html"
  hopper fit-multiple-model --source-table iris --validation-table iris_v --model-output-table iris_models \
    --model-selection-table mst --num-iterations 8 --metrics-compute-frequency 1 --workers 3 --use-caching --name "iris demo" \
    --description "four optimizers, Cerebro's asynchronous schedule" --report-out "$report" >/dev/null
fi
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/chromium" --screenshot="$png" \
  --window-size=1400,1800 "file://$(realpath "$report")" >/dev/null 2>&1
echo "$png"
