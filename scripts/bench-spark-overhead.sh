#!/usr/bin/env bash
# Per-unit overhead of the Spark engine against the embedded engine (trivial model), on local[2] and on
# local-cluster[2,1,1024] (two executor JVMs): scripts/bench-spark-overhead.sh [units] [master ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-env.sh"
hopper_spark_build
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1073741824}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
t="$hopper_root/hopper-spark/target"
# shellcheck disable=SC2086
exec java $SPARK_JAVA_OPTS -Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
  -Dai.djl.pytorch.num_interop_threads=1 -Dlog4j2.level=warn \
  -cp "$t/hopper-spark.jar:$t/lib/*:$SPARK_HOME/jars/*" io.hopper.engine.spark.SparkOverheadBench "$@"
