#!/bin/sh
# kafka-acls.sh on the librdkafka suite's KAFKA_PATH (compat/): Samsa's `samsa acls`, which takes
# Kafka's flags (--bootstrap-server, --add/--remove/--list, --allow-principal, --deny-principal, …).
exec "$(dirname "$0")/../../bin/samsa" acls "$@"
