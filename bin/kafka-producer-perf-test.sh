#!/usr/bin/env bash
# Kafka's kafka-producer-perf-test.sh for Samsa: the same flags, forwarded to `samsa producer-perf-test`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" producer-perf-test "$@"
