#!/usr/bin/env bash
# Kafka's kafka-topics.sh for Samsa: the same flags, forwarded to `samsa topics`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" topics "$@"
