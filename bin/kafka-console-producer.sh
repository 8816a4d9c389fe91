#!/usr/bin/env bash
# Kafka's kafka-console-producer.sh for Samsa: the same flags, forwarded to `samsa console-producer`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" console-producer "$@"
