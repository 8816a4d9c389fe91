#!/usr/bin/env bash
# Kafka's kafka-configs.sh for Samsa: the same flags, forwarded to `samsa configs`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" configs "$@"
