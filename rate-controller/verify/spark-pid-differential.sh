#!/usr/bin/env bash
# Compares SparkPidEstimator with Spark's own PIDRateEstimator (3.5.7) bit for bit on 120 000 random calls.
# Needs the Spark 3.5.7 jars in ~/.m2 (any module of this repo that depends on spark-streaming puts them there) and
# rate-controller compiled (mvn -q -pl rate-controller compile). Prints "checked N calls, mismatches 0".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
m2=${M2_REPO:-$HOME/.m2/repository}
pick() { local f; for f in $m2/$1; do echo "$f"; done | grep -v sources | sort -V | tail -1; }
cp=""
for jar in \
  "org/apache/spark/spark-streaming_2.12/3.5.7/spark-streaming_2.12-3.5.7.jar" \
  "org/apache/spark/spark-core_2.12/3.5.7/spark-core_2.12-3.5.7.jar" \
  "org/apache/spark/spark-common-utils_2.12/3.5.7/spark-common-utils_2.12-3.5.7.jar"; do
  cp="$cp:$m2/$jar"
done
cp="$cp:$(pick 'org/scala-lang/scala-library/2.12.*/scala-library-2.12.*.jar')"
cp="$cp:$(pick 'org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar')"
cp="$cp:$(pick 'org/apache/logging/log4j/log4j-api/2.*/log4j-api-2.*.jar')"
cp="$cp:$(pick 'org/apache/logging/log4j/log4j-core/2.*/log4j-core-2.*.jar')"
cp="$cp:$(pick 'org/apache/logging/log4j/log4j-slf4j2-impl/2.*/log4j-slf4j2-impl-2.*.jar')"
cp="$cp:$here/../target/classes"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "$cp" "$here/SparkPidDifferential.java"
java -cp "$out$cp" SparkPidDifferential 2>/dev/null | tail -1
