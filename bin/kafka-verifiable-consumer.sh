#!/usr/bin/env bash
# Kafka's kafka-verifiable-consumer.sh for Samsa: the same flags, forwarded to `samsa verifiable-consumer`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" verifiable-consumer "$@"
