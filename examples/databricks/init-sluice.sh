#!/bin/bash
# Databricks cluster-scoped init script: installs the Sluice agent and its configuration under /opt/sluice on the
# driver and every worker, before Spark starts. Init scripts run as root.
# SLUICE_SRC: where the two files are, e.g. a Unity Catalog volume (default below) or /dbfs/FileStore/sluice on
# workspaces without one. Set it as a cluster environment variable to change it.
set -euo pipefail
src="${SLUICE_SRC:-/Volumes/main/default/sluice}"
mkdir -p /opt/sluice
install -m 0644 "$src/sluice-agent.jar" "$src/sluice.properties" /opt/sluice/
