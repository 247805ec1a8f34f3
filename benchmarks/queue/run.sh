#!/usr/bin/env bash
# Job queues, Redwire and BullMQ side by side (io.redwire.benchmarks.queue.QueueSideBySide): installs
# BullMQ 6 (and ioredis 5, its client) from the npm registry into benchmarks/target/bullmq, builds the benchmark jar, and runs both
# against one fixture redis-server. Arguments: [jobs per phase, default 20000] [latency samples, 2000]
# [rounds, 2]. MVN_FLAGS (e.g. -o) is passed to the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=benchmarks/target/bullmq
mkdir -p "$dir"
if [ ! -d "$dir/node_modules/bullmq" ]; then
  (cd "$dir" && npm init -y > /dev/null && npm install --no-audit --no-fund bullmq@6 ioredis@5 > /dev/null)
fi
echo "BullMQ $(node -p "require('./$dir/node_modules/bullmq/package.json').version"), node $(node --version)"
mvn -B -q ${MVN_FLAGS:-} -Pbench -pl benchmarks -am -DskipTests package
java -cp benchmarks/target/benchmarks.jar io.redwire.benchmarks.queue.QueueSideBySide "$dir" "${1:-20000}" "${2:-2000}" "${3:-2}"
