#!/usr/bin/env bash
# Kafka's kafka-delete-records.sh for Samsa: the same flags, forwarded to `samsa delete-records`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" delete-records "$@"
