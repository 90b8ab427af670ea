#!/usr/bin/env bash
# Sluice test bed: stock Spark vs Spark's back-pressure vs Sluice, side by side. See docs/testbed.md.
# (Named testbed.sh because ./testbed is the module's directory.)
# Builds what it needs on first use (the test bed and the agent jar), then runs the runner.
# Usage: ./testbed.sh [--source receivers|kafka|sql-files|sql-kafka] [--scenario overload,spike] [--modes all] [--time-scale 0.12] [--spark-version 3.5.7] [--out DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

command -v java >/dev/null || { echo "testbed: java (17) not found on the PATH" >&2; exit 1; }
command -v mvn >/dev/null || { echo "testbed: mvn not found on the PATH" >&2; exit 1; }

TESTBED_JAR="$ROOT/testbed/target/sluice-testbed-0.1.0-SNAPSHOT.jar"
AGENT_JAR="$ROOT/agent/target/sluice-agent-0.1.0-SNAPSHOT.jar"
EXAMPLES_JAR="$ROOT/examples/target/sluice-examples-0.1.0-SNAPSHOT.jar"

# Rebuild when a jar is missing or a source of its modules is newer than it.
stale() { # $1 jar, $2.. module dirs
  local jar="$1"; shift
  [[ -f "$jar" ]] || return 0
  [[ -n "$(find "$@" \( -name '*.java' -o -name 'pom.xml' -o -name '*.scn' \) -newer "$jar" -print -quit 2>/dev/null)" ]]
}

if stale "$TESTBED_JAR" testbed || [[ ! -d "$ROOT/testbed/target/lib" ]]; then
  echo "testbed: building the test bed (mvn -B -q -DskipTests package -pl testbed -am) ..." >&2
  mvn -B -q -DskipTests package -pl testbed -am
fi
if stale "$AGENT_JAR" agent advice strategies rate-controller; then
  echo "testbed: building the agent jar (mvn -B -q -DskipTests package -pl agent -am) ..." >&2
  mvn -B -q -DskipTests package -pl agent -am
fi

# The sql-* sources run the examples' Structured Streaming jobs.
if [[ " $* " == *" --source sql-"* || " $* " == *" --source=sql-"* ]] && stale "$EXAMPLES_JAR" examples strategies reactive; then
  echo "testbed: building the examples jar (mvn -B -q -DskipTests package -pl examples -am) ..." >&2
  mvn -B -q -DskipTests package -pl examples -am
fi

exec java -Xmx1g -cp "$TESTBED_JAR:$ROOT/testbed/target/lib/*" dev.sluice.testbed.run.Main --agent-jar "$AGENT_JAR" --examples-jar "$EXAMPLES_JAR" "$@"
