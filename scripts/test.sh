#!/usr/bin/env bash
# README's test command: installs tmux, installs and starts PostgreSQL, then builds and runs every test (unit tests and the
# *IT integration tests) on Java 17, and builds and runs the unit tests once more on Java 25 when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

# ProgressTerminalIT runs the launcher in an 80-column tmux pane under script (util-linux).
if ! command -v tmux >/dev/null 2>&1; then
  echo "== installing tmux for ProgressTerminalIT" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq tmux >&2
fi

HOPPER_TEST_PG_URL="$(bash .ci/start-postgres.sh)"
export HOPPER_TEST_PG_URL
export CI="${CI:-false}"

echo "== Java 17: build, unit and integration tests"
mvn -B -ntp verify

java25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -x "$java25/bin/java" ]; then
  echo "== Java 25: build and unit tests"
  JAVA_HOME="$java25" mvn -B -ntp -o test -Dsurefire.reportNameSuffix=java25
else
  echo "== Java 25 is not installed at $java25; skipped the Java 25 run"
fi
