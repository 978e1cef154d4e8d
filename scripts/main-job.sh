#!/usr/bin/env bash
# README's main job: a real model selection on the embedded engine, end to end.
#   Fashion-MNIST (Debian's dataset-fashion-mnist: 60,000 training and 10,000 test images), two architectures
#   (an MLP and a small CNN), eight configurations, trained with partition caching; prints a leaderboard.
# Everything goes to a fresh store (default ./main-job-store; set HOPPER_MAIN_STORE to change it).
set -euo pipefail
cd "$(dirname "$0")/.."

data=/usr/share/datasets/fashion-mnist
if [ ! -e "$data/train-images-idx3-ubyte.gz" ] && [ ! -e "$data/train-images-idx3-ubyte" ]; then
  echo "main-job: installing Debian's dataset-fashion-mnist" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq dataset-fashion-mnist >&2
fi
file() { if [ -e "$data/$1.gz" ]; then echo "$data/$1.gz"; else echo "$data/$1"; fi; }

store="${HOPPER_MAIN_STORE:-./main-job-store}"
iterations="${HOPPER_MAIN_ITERATIONS:-3}"
rm -rf "$store"
h() { ./hopper --store "$store" "$@"; }

h preprocess-training --source "idx:$(file train-images-idx3-ubyte),$(file train-labels-idx1-ubyte)" \
  --output-table fashion_train --dependent-varname label --independent-varname image \
  --normalizing-const 255 --partitions 2 --seed 1
h preprocess-validation --source "idx:$(file t10k-images-idx3-ubyte),$(file t10k-labels-idx1-ubyte)" \
  --output-table fashion_val --training-preprocessor-table fashion_train \
  --dependent-varname label --independent-varname image
h load-keras-model --model-arch-table arch --model-arch examples/fashion_mlp.json --name "MLP 256-128"
h load-keras-model --model-arch-table arch --model-arch examples/fashion_cnn.json --name "CNN 32-64-128"
h load-model-selection-table --model-arch-table arch --model-selection-table mst --model-id-list 1,2 \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='Adam(lr=0.0001)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='SGD(lr=0.05, momentum=0.9)', metrics=['accuracy']" \
  --compile-params-list "loss='categorical_crossentropy', optimizer='RMSprop(lr=0.001)', metrics=['accuracy']" \
  --fit-params-list "batch_size=64, epochs=1"
h fit-multiple-model --source-table fashion_train --model-output-table models --model-selection-table mst \
  --validation-table fashion_val --num-iterations "$iterations" --use-caching --workers 2 --seed 1
