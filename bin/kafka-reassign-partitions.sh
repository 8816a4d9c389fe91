#!/usr/bin/env bash
# Kafka's kafka-reassign-partitions.sh for Samsa: the same flags, forwarded to `samsa reassign-partitions`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" reassign-partitions "$@"
