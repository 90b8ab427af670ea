#!/bin/bash
# EMR bootstrap action: installs the Sluice agent and its configuration under /opt/sluice on every node, before
# Spark starts. Bootstrap actions run as the hadoop user, hence sudo for /opt.
# Argument: the S3 prefix holding sluice-agent.jar and sluice.properties, e.g. s3://my-bucket/sluice
set -euo pipefail
src="${1:?usage: bootstrap-sluice.sh s3://bucket/prefix}"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
aws s3 cp "${src%/}/sluice-agent.jar" "$staging/sluice-agent.jar"
aws s3 cp "${src%/}/sluice.properties" "$staging/sluice.properties"
sudo mkdir -p /opt/sluice
sudo install -m 0644 "$staging/sluice-agent.jar" "$staging/sluice.properties" /opt/sluice/
