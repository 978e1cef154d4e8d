# Sourced (not run) by the main job and the benchmarks that use Fashion-MNIST:
#   sets data=/usr/share/datasets/fashion-mnist, installing Debian's dataset-fashion-mnist when it is missing;
#   fashion_file NAME      prints the path of NAME (gzipped or not, as the package ships it);
#   fashion_tables H P     preprocesses the 60,000 training images into fashion_train (P partitions, seed 1) and the
#                          10,000 test images into fashion_val, and loads examples/fashion_mlp.json as model 1 of arch,
#                          through H, a function that runs ./hopper on the caller's store.
data=/usr/share/datasets/fashion-mnist
if [ ! -e "$data/train-images-idx3-ubyte.gz" ] && [ ! -e "$data/train-images-idx3-ubyte" ]; then
  echo "$(basename "$0"): installing Debian's dataset-fashion-mnist" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq dataset-fashion-mnist >&2
fi

fashion_file() { if [ -e "$data/$1.gz" ]; then echo "$data/$1.gz"; else echo "$data/$1"; fi; }

fashion_tables() {
  local h="$1" partitions="$2"
  "$h" preprocess-training --source "idx:$(fashion_file train-images-idx3-ubyte),$(fashion_file train-labels-idx1-ubyte)" \
    --output-table fashion_train --dependent-varname label --independent-varname image \
    --normalizing-const 255 --partitions "$partitions" --seed 1
  "$h" preprocess-validation --source "idx:$(fashion_file t10k-images-idx3-ubyte),$(fashion_file t10k-labels-idx1-ubyte)" \
    --output-table fashion_val --training-preprocessor-table fashion_train \
    --dependent-varname label --independent-varname image
  "$h" load-keras-model --model-arch-table arch --model-arch examples/fashion_mlp.json --name "MLP 256-128"
}
