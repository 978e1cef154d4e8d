#!/usr/bin/env bash
# A standalone Spark cluster on this machine from the generated SPARK_HOME: a master on 127.0.0.1:7077 and
# WORKERS workers (default 2) of one core and WORKER_MEMORY (default 1g) each.
#   scripts/spark-cluster.sh start    # then: ./hopper ... fit-multiple-model --engine spark --spark-master spark://127.0.0.1:7077
#   scripts/spark-cluster.sh stop
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-env.sh"
run="$hopper_root/hopper-spark/target/spark-cluster"
master="spark://127.0.0.1:7077"

case "${1:-}" in
  start)
    hopper_spark_build
    mkdir -p "$run"
    # shellcheck disable=SC2086
    nohup java $SPARK_JAVA_OPTS -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 7077 --webui-port 8080 >"$run/master.log" 2>&1 &
    echo $! >"$run/master.pid"
    for i in $(seq 1 "${WORKERS:-2}"); do
      # shellcheck disable=SC2086
      nohup java $SPARK_JAVA_OPTS -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores 1 --memory "${WORKER_MEMORY:-1g}" --work-dir "$run/work-$i" "$master" \
        >"$run/worker-$i.log" 2>&1 &
      echo $! >"$run/worker-$i.pid"
    done
    echo "$master"
    ;;
  stop)
    for f in "$run"/*.pid; do
      [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    done
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
