#!/bin/sh
# redis-server pinned to the CPUs in REDWIRE_REDIS_CPUS (default: 1), for benchmark runs that control
# where the server and the client run (needs a machine with at least 2 CPUs for the default):
#   taskset -c 0 java -Dredwire.redis.server=$PWD/benchmarks/redis-on-cpu.sh -cp ... (client on CPU 0)
# REDWIRE_REDIS_BIN names the binary (default: redis-server on the PATH). exec keeps the pid the fixture
# started, so stopping and killing it work as without the wrapper.
exec taskset -c "${REDWIRE_REDIS_CPUS:-1}" "${REDWIRE_REDIS_BIN:-redis-server}" "$@"
