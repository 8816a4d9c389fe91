#!/usr/bin/env bash
# Kafka's connect-standalone.sh for Samsa: a standalone Kafka Connect worker (packages/connect).
#   bin/connect-standalone.sh config/connect-standalone.properties config/connect-file-source.properties …
set -e
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
main="$here/../packages/connect/dist/src/bin/connect-standalone.js"
if [ ! -f "$main" ]; then
  echo "Samsa Connect is not built: run 'npm ci && npm run build' in $(cd "$here/.." && pwd)" >&2
  exit 1
fi
exec node "$main" "$@"
