#!/bin/sh
# kafka-run-class.sh on the librdkafka suite's KAFKA_PATH (compat/), as tests/java/run-class.sh
# calls it: `kafka-run-class.sh <class> <args>...`. Kafka's Java client is not available here, so
# the classes of the suite's tests/java that Samsa can stand in for run as ports on Samsa's own
# client (compat/lib/); any other class fails, naming it.
here="$(dirname "$0")"
class="$1"
case "$class" in
  TransactionProducerCli)
    shift
    exec node "$here/../lib/transaction-producer-cli.mjs" "$@"
    ;;
  *)
    echo "kafka-run-class.sh (Samsa compat/bin): class '$class' is not available: Kafka's jars are not" \
      "here, and only TransactionProducerCli has a port on Samsa's client (compat/lib)" >&2
    exit 1
    ;;
esac
