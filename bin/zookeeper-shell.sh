#!/usr/bin/env bash
# Kafka's zookeeper-shell.sh for Samsa: zookeeper_host:port[/path] [command...], run with Debian's
# zkCli.sh (package zookeeper), the shell Kafka's wraps.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 zookeeper_host:port[/path] [args...]"
  exit 1
fi
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" zookeeper shell "$@"
