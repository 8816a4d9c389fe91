#!/usr/bin/env bash
# Kafka's kafka-preferred-replica-election.sh for Samsa: the same flags (--bootstrap-server or --zookeeper), forwarded to `samsa preferred-replica-election`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" preferred-replica-election "$@"
