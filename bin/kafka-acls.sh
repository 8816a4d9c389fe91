#!/usr/bin/env bash
# Kafka's kafka-acls.sh for Samsa: the same arguments, forwarded to `samsa acls`.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" acls "$@"
