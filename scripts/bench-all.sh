#!/usr/bin/env bash
# Runs every benchmark and prints every table of BENCHMARKS.md: builds the JMH jar, runs the JMH
# benchmarks with the GC profiler (routing, one chat call four ways, streaming, allocation), turns the
# results into ratio tables, then runs the gateway load test (scripts/bench-gateway.sh).
#
#   scripts/bench-all.sh            # the full run (~20 minutes on 2 cores)
#   QUICK=1 scripts/bench-all.sh    # a smoke run with short iterations (~5 minutes); numbers are rough
#   JMH_INCLUDE=ChatCallBenchmark scripts/bench-all.sh   # a subset (a JMH regex); SKIP_GATEWAY=1 skips the load test
#
# Results: aperture-benchmarks/target/jmh-results.{json,md}, gateway-results.md and bench-all.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=aperture-benchmarks/target
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
JAR=$TARGET/benchmarks.jar
if [ -n "${QUICK:-}" ]; then
  JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 2 -i 3 -w 1s -r 1s"}
  CPU_ROUNDS=${CPU_ROUNDS:-4} CPU_CALLS=${CPU_CALLS:-500}
  export DURATION=${DURATION:-5s} WARMUP=${WARMUP:-3s}
else
  JMH_ARGS=${JMH_ARGS:-}  # as annotated: the loopback calls 3 forks × (10 s warm-up, 8 s measured)
fi

echo "bench-all: building $JAR" >&2
mvn -B -ntp -q -pl aperture-benchmarks -am package -Pbench -DskipTests

machine() {
  echo "- CPU: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- JDK: $(java -version 2>&1 | head -n 2 | tail -n 1)"
  echo "- OS: $(uname -sr); load average before the run: $LOAD_BEFORE"
  echo "- JMH: ${JMH_ARGS:-as annotated (loopback calls: 3 forks, 10 × 1 s warm-up, 8 × 1 s measured; routing and codec: 1 fork, 5 + 8)} -prof gc"
}

# shellcheck disable=SC2086
java -jar "$JAR" $JMH_ARGS -prof gc -rf json -rff "$TARGET/jmh-results.json" ${JMH_INCLUDE:-} \
  | tee "$TARGET/jmh.log" >&2
java -cp "$JAR" dev.aperture.benchmarks.Report "$TARGET/jmh-results.json" > "$TARGET/jmh-results.md"
if [ -z "${JMH_INCLUDE:-}" ]; then
  echo "bench-all: CPU time per call" >&2
  # shellcheck disable=SC2086
  java -Xms1g -Xmx1g -cp "$JAR" dev.aperture.benchmarks.CpuPerCall ${CPU_ROUNDS:-10} ${CPU_CALLS:-2000} \
    2> /dev/null > "$TARGET/cpu-per-call.md"
fi

if [ -z "${SKIP_GATEWAY:-}" ]; then
  # GATEWAY_VARIANT_OPTS="-D..." adds a diagnostic row: the same gateway with extra JVM flags.
  scripts/bench-gateway.sh > /dev/null
fi

{
  echo "## Machine"
  echo
  machine
  echo
  cat "$TARGET/jmh-results.md"
  if [ -z "${JMH_INCLUDE:-}" ]; then cat "$TARGET/cpu-per-call.md"; fi
  if [ -z "${SKIP_GATEWAY:-}" ]; then cat "$TARGET/gateway-results.md"; fi
} | tee "$TARGET/bench-all.md"
