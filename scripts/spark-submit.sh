#!/usr/bin/env bash
# spark-submit from the generated SPARK_HOME, with Hopper's application jar and its dependencies:
#   scripts/spark-submit.sh --master spark://127.0.0.1:7077 --store /shared/store fit-multiple-model --source-table t ...
# runs io.hopper.engine.spark.SparkFitMain (the hopper command with --engine spark) as a Spark application.
# Spark options (--master, --conf, --executor-memory, ...) come first, then Hopper's arguments.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-env.sh"
hopper_spark_build
spark_args=()
while [ $# -gt 0 ] && [[ "$1" == --master || "$1" == --conf || "$1" == --deploy-mode || "$1" == --executor-memory \
    || "$1" == --driver-memory || "$1" == --executor-cores || "$1" == --total-executor-cores || "$1" == --num-executors ]]; do
  spark_args+=("$1" "$2")
  shift 2
done
lib="$hopper_root/hopper-spark/target/lib"
jars="$(find "$lib" -name '*.jar' | sort | paste -sd, -)"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1073741824}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
# shellcheck disable=SC2086
# Client mode: this JVM is the driver, so it gets DJL's options itself.
exec java $SPARK_JAVA_OPTS -Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
  -Dai.djl.pytorch.num_interop_threads=1 -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
  --conf spark.log.level=WARN "${spark_args[@]}" --class io.hopper.engine.spark.SparkFitMain --jars "$jars" \
  "$hopper_root/hopper-spark/target/hopper-spark.jar" "$@"
