#!/usr/bin/env bash
# Kafka's zookeeper-server-stop.sh for Samsa: stops the ZooKeeper servers started with
# zookeeper-server-start.sh (only the one of the given zookeeper.properties, if any).
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" zookeeper stop "$@"
