#!/usr/bin/env bash
# Kafka's kafka-server-stop.sh for Samsa: stops gracefully the broker of the given
# server.properties, or every Samsa broker started on this machine.
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" server stop "$@"
