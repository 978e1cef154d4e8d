#!/usr/bin/env bash
# README's main job: a real model selection on the embedded engine, end to end.
#   Fashion-MNIST (Debian's dataset-fashion-mnist: 60,000 training and 10,000 test images), two architectures
#   (an MLP and a small CNN), eight configurations, trained with partition caching; prints a leaderboard.
# Everything goes to a fresh store (default ./main-job-store; set HOPPER_MAIN_STORE to change it).
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/fashion-mnist.sh

store="${HOPPER_MAIN_STORE:-./main-job-store}"
iterations="${HOPPER_MAIN_ITERATIONS:-3}"
rm -rf "$store"
h() { ./hopper --store "$store" "$@"; }

fashion_tables h 2
h load-keras-model --model-arch-table arch --model-arch examples/fashion_cnn.json --name "CNN 32-64-128"
h load-model-selection-table --model-arch-table arch --model-selection-table mst --model-id-list 1,2 \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.0001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='SGD(lr=0.05, momentum=0.9)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='RMSprop(lr=0.001)', metrics=['accuracy']" \
  --fit-params-list "batch_size=64, epochs=1"
h fit-multiple-model --source-table fashion_train --model-output-table models --model-selection-table mst \
  --validation-table fashion_val --num-iterations "$iterations" --use-caching --workers 2 --seed 1
