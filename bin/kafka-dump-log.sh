#!/usr/bin/env bash
# Kafka's kafka-dump-log.sh for Samsa: the same flags, forwarded to `samsa dump-log`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" dump-log "$@"
