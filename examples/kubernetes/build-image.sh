#!/usr/bin/env bash
# Builds a Spark image with the Sluice agent under /opt/sluice (see Dockerfile next to this script).
# Usage: build-image.sh <agent jar> <sluice.properties> <image tag> [base image, default apache/spark:3.5.7]
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 <agent jar> <sluice.properties> <image tag> [base image]" >&2
  exit 2
fi
agent_jar="$1"
config="$2"
tag="$3"
base="${4:-apache/spark:3.5.7}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$agent_jar" "$context/sluice-agent.jar"
cp "$config" "$context/sluice.properties"
docker build --build-arg "SPARK_IMAGE=$base" -f "$here/Dockerfile" -t "$tag" "$context"
