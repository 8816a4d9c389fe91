#!/bin/sh
# kafka-topics.sh on the librdkafka suite's KAFKA_PATH (compat/): Samsa's `samsa topics`, which
# takes Kafka's flags (--bootstrap-server, --create/--delete/--alter/--list/--describe, --config).
exec "$(dirname "$0")/../../bin/samsa" topics "$@"
