#!/usr/bin/env bash
# Kafka's kafka-log-dirs.sh for Samsa: the same flags, forwarded to `samsa log-dirs`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" log-dirs "$@"
