#!/usr/bin/env bash
# Regenerates docs/cli.md from `./hopper COMMAND --help`, so the page always matches the commands.
set -euo pipefail
cd "$(dirname "$0")/.."
commands=("" table "table list" "table show" "table drop" preprocess-training preprocess-validation load-keras-model
  delete-keras-model arch-summary load-model-selection-table generate-model-configs fit-multiple-model automl hyperband-schedule
  evaluate predict predict-byom
  export-model report)
{
  echo "# The hopper command line"
  echo
  echo "Hopper keeps the contract of the shared CLI reference (names after MADlib's functions, global \`--store\`,"
  echo "exit status 0 success / 2 bad input / 1 failure, one-line \`hopper: error: ...\` messages, \`--debug\` for the"
  echo "stack trace) and adds to it: \`generate-model-configs\`, \`automl\`, \`export-model\` (Keras or ONNX), and \`fit-multiple-model\`'s"
  echo "\`--replay\`, \`--report-out\`, \`--memory-limit\` and \`--engine spark\`. Below is \`./hopper COMMAND --help\` for"
  echo "every command, as \`scripts/cli-doc.sh\` generated it."
  for c in "${commands[@]}"; do
    echo
    echo "## hopper${c:+ $c}"
    echo
    echo '```'
    # shellcheck disable=SC2086
    ./hopper $c --help 2>&1
    echo '```'
  done
} > docs/cli.md
echo "wrote docs/cli.md"
