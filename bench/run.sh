#!/usr/bin/env bash
# Builds the shaded agent and the JMH benchmarks, then measures Receiver.store(...) on a real Spark Receiver:
# once without the agent, then with -javaagent:<shaded jar> for each built-in strategy, uncongested (no bound; a bound
# far above the offered rate) and congested (drop/sample: a bound far below it; throttle: 1e6 records/s, i.e. an
# intended wait of 1000 ns per record). Writes JMH JSON per configuration and a Markdown table (docs/performance.md).
#
#   bench/run.sh                      # short settings sized for 2 cores (about 5 minutes)
#   JMH_OPTS="-f 3 -wi 5 -i 10" bench/run.sh
#   BENCH_SKIP_BUILD=1 bench/run.sh    # reuse the jars already built
#   BENCH_QUIET_LOAD=1.5 bench/run.sh  # before each configuration, wait for a 1-minute load average below 1.5
#                                      # (at most BENCH_QUIET_WAIT seconds in all, default 1800; then measure anyway)
#
# Results: bench/target/results/*.json, the log of each run beside it, and bench/target/results/table.md.
# (The variables are BENCH_*, not SLUICE_*: the agent reads every SLUICE_* environment variable as configuration and
# refuses unknown keys.)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
AGENT_JAR="$ROOT/agent/target/sluice-agent-0.1.0-SNAPSHOT.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
OUT="${BENCH_OUT:-$ROOT/bench/target/results}"
# -f 1 -wi 3 -w 1s -i 5 -r 1s: enough for ns-scale figures on a quiet machine, short enough for 2 shared cores.
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
BENCHMARKS="${BENCH_INCLUDE:-StoreBenchmark}"

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  mvn -B -q -pl agent,bench -am package -DskipTests
fi
[[ -f "$AGENT_JAR" ]] || { echo "missing $AGENT_JAR (build: mvn -q -pl agent -am package -DskipTests)" >&2; exit 1; }
[[ -f "$BENCH_JAR" ]] || { echo "missing $BENCH_JAR" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.log "$OUT"/table.md

load1() { cut -d' ' -f1 /proc/loadavg; }
QUIET_DEADLINE=$((SECONDS + ${BENCH_QUIET_WAIT:-1800}))

# Figures taken under load are not comparable: optionally wait for a quiet machine, and always record the load.
wait_quiet() {
  local limit=${BENCH_QUIET_LOAD:-}
  [[ -n "$limit" ]] || return 0
  while awk -v l="$(load1)" -v m="$limit" 'BEGIN { exit !(l >= m) }'; do
    if ((SECONDS >= QUIET_DEADLINE)); then
      echo "load $(load1) still >= $limit: measuring anyway (figures taken under load)" | tee -a "$OUT/load.txt"
      return 0
    fi
    sleep 15
  done
}

# run <name> <bounds> <extra JVM args>: one JMH invocation (its own forks) per configuration; $BENCHMARKS selects.
run() {
  local name=$1 bounds=$2 jvm=$3
  wait_quiet
  echo "== $name (bound=$bounds) $(date -u +%H:%M:%S) load $(load1)"
  echo "$name: start $(date -u +%FT%TZ) load $(cat /proc/loadavg)" >> "$OUT/load.txt"
  # shellcheck disable=SC2086
  java -jar "$BENCH_JAR" "$BENCHMARKS" $JMH_OPTS -tu ns -prof gc -prof dev.sluice.bench.CpuTimeProfiler -foe true \
    -p bound="$bounds" -jvmArgsAppend "$jvm" \
    -rf json -rff "$OUT/$name.json" > "$OUT/$name.log" 2>&1 \
    || { echo "JMH failed for $name, see $OUT/$name.log" >&2; tail -40 "$OUT/$name.log" >&2; exit 1; }
  echo "$name: end   $(date -u +%FT%TZ) load $(cat /proc/loadavg)" >> "$OUT/load.txt"
  grep -E 'sluice-bench|Sluice final' "$OUT/$name.log" || true
}

run 1-no-agent none "-Dbench.agent=off"
run 2-throttle none,1000000000,1000000 "-javaagent:$AGENT_JAR=sluice.strategy=throttle -Dbench.agent=on"
run 3-drop 1000000000,1000 "-javaagent:$AGENT_JAR=sluice.strategy=drop -Dbench.agent=on"
run 4-sample 1000000000,1000 "-javaagent:$AGENT_JAR=sluice.strategy=sample -Dbench.agent=on"
# Reference: one System.nanoTime() (the budget reads the clock on the store path).
BENCHMARKS=ClockBenchmark run 5-clock none "-Dbench.agent=off"

echo "cores: $(nproc)"; cat "$OUT/load.txt"
java -cp "$BENCH_JAR" dev.sluice.bench.ResultsTable "$OUT"/[0-9]-*.json | tee "$OUT/table.md"
