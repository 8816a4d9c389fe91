#!/usr/bin/env bash
# Samsa's web console: --bootstrap-server host:port [--port 8080]
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/samsa" console "$@"
