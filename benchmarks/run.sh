#!/usr/bin/env bash
# Runs the whole benchmark suite and writes results to benchmarks/target/results/<mode>/.
#   benchmarks/run.sh quick   # 1 fork, 1 x 1 s warm-up, 1 x 1 s measurement per row: about 10 minutes
#   benchmarks/run.sh full    # 1 fork, 3 x 5 s warm-up, 5 x 5 s measurement per row (the classes' defaults): ~1 hour
# Rows (each benchmark method is its own fork): CacheBenchmark hit_/miss_ x 5 peers, RateLimitBenchmark
# x 4 (redwire, gcraHandWritten, bucket4jJedis, redissonRateLimiter), each at 1 and 8 threads, throughput
# with -prof gc and SampleTime; LockBenchmark.uncontended_ x 6 (redwire, redwireWatchdog,
# jedisHandWritten, redisson, springIntegration, shedLock) and LockBenchmark.handoff_ x 3 (redwire,
# redisson, springIntegration), at 1 thread. Then writes the Markdown tables (summarize.py) to
# <results>/tables.md; rows that did not produce numbers are listed on stderr and in <results>/incomplete.txt.
# Every JMH fork starts its own redis-server (test fixture, free port, never 6379) and stops it.
# MVN_FLAGS (e.g. -o) is passed to the build.
set -euo pipefail
mode=${1:-quick}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case "$mode" in
  quick) iter=(-f 1 -wi 1 -w 1s -i 1 -r 1s); runs=5; requests=100000 ;;
  full) iter=(); runs=15; requests=1000000 ;;
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac
out="benchmarks/target/results/$mode"
mvn -B -q ${MVN_FLAGS:-} -Pbench -pl benchmarks -am -DskipTests package
rm -rf "$out" && mkdir -p "$out"
jar=benchmarks/target/benchmarks.jar

jmh() {
  local name=$1; shift
  echo "== $name: java -jar $jar $* ${iter[*]}"
  java -jar "$jar" "$@" "${iter[@]}" -rf json -rff "$out/$name.json" > "$out/$name.txt" 2>&1
  sed -n '/^Benchmark /,$p' "$out/$name.txt" | grep -vE ':(p0\.(0|9999)0?|p1\.00|gc\.(count|time|alloc\.rate)$|gc\.(count|time))' || true
}

started=$(date +%s)
for t in 1 8; do
  jmh "cache-t$t-thrpt" CacheBenchmark -t "$t" -bm thrpt -tu s -prof gc
  jmh "cache-t$t-sample" CacheBenchmark -t "$t" -bm sample -tu us
  jmh "ratelimit-t$t-thrpt" RateLimitBenchmark -t "$t" -bm thrpt -tu s -prof gc
  jmh "ratelimit-t$t-sample" RateLimitBenchmark -t "$t" -bm sample -tu us
done
jmh lock-uncontended-thrpt 'LockBenchmark.uncontended' -t 1 -bm thrpt -tu s -prof gc
jmh lock-uncontended-sample 'LockBenchmark.uncontended' -t 1 -bm sample -tu us
jmh lock-handoff 'LockBenchmark.handoff' -t 1 -bm sample -tu us

echo "== redis-benchmark floor"
java -cp "$jar" io.redwire.benchmarks.RedisBenchmarkFloor "$requests" 1 8 2>&1 | tr '\r' '\n' \
  | grep -v 'rps=' > "$out/redis-benchmark.txt"
grep -E '^\$ |^====== GET|throughput summary|avg|^ +[0-9.]+ +[0-9.]+' "$out/redis-benchmark.txt" || true

echo "== startup"
java -cp "$jar" io.redwire.benchmarks.startup.StartupLauncher "$runs" benchmarks | tee "$out/startup.txt"
echo "== tables"
python3 benchmarks/summarize.py "$mode" > "$out/tables.md" 2> "$out/incomplete.txt" || true
if [ -s "$out/incomplete.txt" ]; then cat "$out/incomplete.txt" >&2; fi
echo "== done in $(( $(date +%s) - started )) s; results in $out"
