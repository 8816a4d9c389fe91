#!/usr/bin/env bash
# Kafka's kafka-broker-api-versions.sh for Samsa: the same flags, forwarded to `samsa broker-api-versions`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" broker-api-versions "$@"
