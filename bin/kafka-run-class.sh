#!/usr/bin/env bash
# Kafka's kafka-run-class.sh for Samsa, for the tool classes tutorials run through it
# (`kafka-run-class.sh kafka.tools.GetOffsetShell --broker-list ...`): each class Samsa has a tool
# for is forwarded to that tool with its arguments; any other class is refused with one line.
here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]"
  exit 1
fi
class="$1"
shift
case "$class" in
  kafka.tools.GetOffsetShell | org.apache.kafka.tools.GetOffsetShell) exec "$here/samsa" get-offsets "$@" ;;
  kafka.admin.TopicCommand | org.apache.kafka.tools.TopicCommand) exec "$here/samsa" topics "$@" ;;
  kafka.admin.ConfigCommand | org.apache.kafka.tools.ConfigCommand) exec "$here/samsa" configs "$@" ;;
  kafka.admin.ConsumerGroupCommand | org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)
    exec "$here/samsa" consumer-groups "$@" ;;
  kafka.tools.ConsoleConsumer | org.apache.kafka.tools.consumer.ConsoleConsumer) exec "$here/samsa" console-consumer "$@" ;;
  kafka.tools.ConsoleProducer | org.apache.kafka.tools.ConsoleProducer) exec "$here/samsa" console-producer "$@" ;;
  kafka.tools.DumpLogSegments | org.apache.kafka.tools.DumpLogSegments) exec "$here/samsa" dump-log "$@" ;;
  kafka.tools.ProducerPerformance | org.apache.kafka.tools.ProducerPerformance) exec "$here/samsa" producer-perf-test "$@" ;;
  kafka.tools.ConsumerPerformance | org.apache.kafka.tools.ConsumerPerformance) exec "$here/samsa" consumer-perf-test "$@" ;;
  kafka.admin.BrokerApiVersionsCommand | org.apache.kafka.tools.BrokerApiVersionsCommand)
    exec "$here/samsa" broker-api-versions "$@" ;;
  kafka.admin.LogDirsCommand | org.apache.kafka.tools.LogDirsCommand) exec "$here/samsa" log-dirs "$@" ;;
  kafka.admin.DeleteRecordsCommand | org.apache.kafka.tools.DeleteRecordsCommand) exec "$here/samsa" delete-records "$@" ;;
  kafka.admin.LeaderElectionCommand | org.apache.kafka.tools.LeaderElectionCommand)
    exec "$here/samsa" leader-election "$@" ;;
  kafka.admin.PreferredReplicaLeaderElectionCommand) exec "$here/samsa" preferred-replica-election "$@" ;;
  kafka.admin.ReassignPartitionsCommand | org.apache.kafka.tools.reassign.ReassignPartitionsCommand)
    exec "$here/samsa" reassign-partitions "$@" ;;
  kafka.admin.AclCommand | org.apache.kafka.tools.AclCommand) exec "$here/samsa" acls "$@" ;;
  org.apache.kafka.tools.TransactionsCommand) exec "$here/samsa" transactions "$@" ;;
  org.apache.kafka.connect.cli.ConnectStandalone) exec "$here/samsa" connect-standalone "$@" ;;
  org.apache.kafka.connect.cli.ConnectDistributed) exec "$here/samsa" connect-distributed "$@" ;;
  org.apache.kafka.tools.VerifiableProducer) exec "$here/samsa" verifiable-producer "$@" ;;
  org.apache.kafka.tools.VerifiableConsumer) exec "$here/samsa" verifiable-consumer "$@" ;;
  *)
    echo "kafka-run-class.sh: Samsa has no tool for class $class (it runs Samsa's tools, not Java classes; see 'samsa --help')" >&2
    exit 1
    ;;
esac
