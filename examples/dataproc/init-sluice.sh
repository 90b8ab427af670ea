#!/bin/bash
# Dataproc initialization action: installs the Sluice agent and its configuration under /opt/sluice on every node.
# Initialization actions run as root. The GCS prefix comes from the cluster metadata key sluice-src
# (gcloud dataproc clusters create ... --metadata sluice-src=gs://my-bucket/sluice).
set -euo pipefail
src="$(/usr/share/google/get_metadata_value attributes/sluice-src)"
mkdir -p /opt/sluice
gcloud storage cp "${src%/}/sluice-agent.jar" "${src%/}/sluice.properties" /opt/sluice/
chmod 0644 /opt/sluice/sluice-agent.jar /opt/sluice/sluice.properties
