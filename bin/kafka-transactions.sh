#!/usr/bin/env bash
# Kafka's kafka-transactions.sh for Samsa: the same arguments, forwarded to `samsa transactions`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" transactions "$@"
