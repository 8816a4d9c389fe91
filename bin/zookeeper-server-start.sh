#!/usr/bin/env bash
# Kafka's zookeeper-server-start.sh for Samsa: [-daemon] zookeeper.properties, run with Debian's
# ZooKeeper (package zookeeper) instead of the one Kafka bundles.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] zookeeper.properties"
  exit 1
fi
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" zookeeper start "$@"
