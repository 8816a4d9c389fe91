#!/usr/bin/env bash
# Kafka's kafka-console-consumer.sh for Samsa: the same flags, forwarded to `samsa console-consumer`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" console-consumer "$@"
