#!/bin/sh
# redis-server pinned to the CPUs in REDWIRE_REDIS_CPUS (default: 1), for benchmark runs that control
# where the server and the client run:
#   taskset -c 0 java -Dredwire.redis.server=$PWD/benchmarks/redis-on-cpu.sh -cp ... (client on CPU 0)
# exec keeps the pid the fixture started, so stopping and killing it work as without the wrapper.
exec taskset -c "${REDWIRE_REDIS_CPUS:-1}" redis-server "$@"
