#!/usr/bin/env bash
# Kafka's kafka-get-offsets.sh for Samsa: the same flags, forwarded to `samsa get-offsets` (Kafka's GetOffsetShell).
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" get-offsets "$@"
