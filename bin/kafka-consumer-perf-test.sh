#!/usr/bin/env bash
# Kafka's kafka-consumer-perf-test.sh for Samsa: the same flags, forwarded to `samsa consumer-perf-test`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" consumer-perf-test "$@"
