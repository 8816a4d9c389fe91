#!/usr/bin/env bash
# Kafka's connect-standalone.sh for Samsa: a standalone Kafka Connect worker (packages/connect),
# forwarded to `samsa connect-standalone`.
#   bin/connect-standalone.sh config/connect-standalone.properties config/connect-file-source.properties …
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" connect-standalone "$@"
