#!/usr/bin/env bash
# Kafka's kafka-consumer-groups.sh for Samsa: the same flags, forwarded to `samsa consumer-groups`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" consumer-groups "$@"
