#!/usr/bin/env bash
# Kafka's connect-distributed.sh for Samsa: a worker of a Kafka Connect cluster (packages/connect),
# forwarded to `samsa connect-distributed`.
#   bin/connect-distributed.sh config/connect-distributed.properties
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" connect-distributed "$@"
