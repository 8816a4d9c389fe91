#!/usr/bin/env bash
# Kafka's kafka-leader-election.sh for Samsa: the same flags, forwarded to `samsa leader-election`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" leader-election "$@"
