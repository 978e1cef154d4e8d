#!/usr/bin/env bash
# Builds a SPARK_HOME from the Spark jars Maven resolved (no Spark download) and prints its path:
# hopper-spark/target/spark-home/jars holds spark-core and its dependencies. local-cluster[N,C,MB] masters
# launch their executor JVMs from it; scripts/spark-cluster.sh starts a standalone cluster from it.
#   export SPARK_HOME="$(scripts/spark-home.sh)"
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-env.sh"
hopper_spark_build
echo "$SPARK_HOME"
