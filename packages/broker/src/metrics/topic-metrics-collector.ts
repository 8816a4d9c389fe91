import type { Registry } from 'prom-client';
import type { AllTopicsMetrics, BrokerTopicStats, TopicMetrics } from './broker-topic-stats.js';
import { collectedCounter, type Sample } from './collected-metrics.js';

/** BrokerTopicMetrics meters as the JMX exporter names them: `kafka_server_brokertopicmetrics_<name>_total`. */
const TOPIC_METERS: readonly [string, keyof TopicMetrics, string][] = [
  ['messagesin', 'messagesIn', 'Records appended to leader logs'],
  ['bytesin', 'bytesIn', 'Bytes of record batches appended to leader logs'],
  ['bytesout', 'bytesOut', 'Bytes of records sent to consumers'],
  ['bytesrejected', 'bytesRejected', 'Bytes of batches refused for their size'],
  ['totalproducerequests', 'totalProduceRequests', 'Partition appends asked for'],
  ['failedproducerequests', 'failedProduceRequests', 'Partition appends that failed unexpectedly'],
  ['totalfetchrequests', 'totalFetchRequests', 'Partition reads asked for (consumers and followers)'],
  ['failedfetchrequests', 'failedFetchRequests', 'Partition reads that failed unexpectedly'],
];

const REPLICATION_METERS: readonly [string, keyof AllTopicsMetrics, string][] = [
  ['replicationbytesin', 'replicationBytesIn', 'Bytes a follower appended from its leaders'],
  ['replicationbytesout', 'replicationBytesOut', 'Bytes of records sent to followers'],
];

/**
 * Each meter is one counter: a series per topic plus one without a topic label for all topics,
 * as Kafka's per-topic and all-topics MBeans come out of the JMX exporter under one name.
 */
export function registerTopicMetrics(registry: Registry, stats: BrokerTopicStats): void {
  for (const [suffix, field, help] of TOPIC_METERS) {
    collectedCounter(registry, `kafka_server_brokertopicmetrics_${suffix}_total`, help, () => {
      const samples: Sample[] = [[{}, stats.allTopics[field]]];
      for (const [topic, metrics] of stats.topics()) samples.push([{ topic }, metrics[field]]);
      return samples;
    });
  }
  for (const [suffix, field, help] of REPLICATION_METERS) {
    collectedCounter(registry, `kafka_server_brokertopicmetrics_${suffix}_total`, help, () => [
      [{}, stats.allTopics[field] as number],
    ]);
  }
}
