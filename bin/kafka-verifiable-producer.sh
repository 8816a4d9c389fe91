#!/usr/bin/env bash
# Kafka's kafka-verifiable-producer.sh for Samsa: the same flags, forwarded to `samsa verifiable-producer`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" verifiable-producer "$@"
