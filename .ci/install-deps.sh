#!/usr/bin/env bash
# Debian packages the test suite drives as real Kafka clients and services. Safe to re-run.
#   kcat                                   librdkafka's command-line client
#   python3-kafka (+ snappy/lz4/zstandard) kafka-python 2.0.2 and its codecs
#   python3-confluent-kafka                confluent-kafka (librdkafka 2.0.2)
#   zookeeper                              ZooKeeper 3.8 (Java) for cluster tests and Burrow
#   burrow                                 consumer-lag monitor that reads __consumer_offsets
#   openssl                                makes the throwaway certificates of the TLS tests
#   prometheus                             promtool and a Prometheus server: /metrics is linted and scraped
#   python3-prometheus-client              Prometheus' own parser of the text format
#   chromium                               the browser the console's end-to-end tests drive (playwright-core)
#   postgresql                             PostgreSQL 15 (initdb, pg_ctl): throwaway clusters for the JDBC connector tests
#   openjdk-17-jdk-headless                javac and jar: compat/ compiles librdkafka's tests/java (0098) against API stubs
# Note: Debian's Python modules are importable only by /usr/bin/python3.
set -euo pipefail
PACKAGES=(kcat python3-kafka python3-confluent-kafka python3-snappy python3-lz4 python3-zstandard zookeeper burrow openssl prometheus python3-prometheus-client chromium postgresql openjdk-17-jdk-headless)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all Debian test dependencies present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
