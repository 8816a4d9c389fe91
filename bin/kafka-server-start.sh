#!/usr/bin/env bash
# Kafka's kafka-server-start.sh for Samsa: [-daemon] server.properties [--override property=value]*
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" server start "$@"
