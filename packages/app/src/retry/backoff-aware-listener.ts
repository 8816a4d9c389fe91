import type { ConsumerRecord } from '@samsa/client';
import { KafkaBackoffException } from '../listener/kafka-backoff-exception.js';
import type { ListenerContext, RecordListener } from '../listener/listener-context.js';
import { dueTimestampOf } from './retry-topic-headers.js';

/**
 * A retry topic's listener: a record whose back-off has not passed is not handled but thrown
 * back as a KafkaBackoffException, and the container pauses its partition until it is due
 * (Spring's KafkaBackoffAwareMessageListenerAdapter). Nothing sleeps; other partitions go on.
 */
export function backoffAwareListener<K, V>(listener: RecordListener<K, V>): RecordListener<K, V> {
  return (record: ConsumerRecord<K, V>, ctx: ListenerContext) => {
    const due = dueTimestampOf(record.headers);
    if (due !== undefined && due > Date.now()) {
      throw new KafkaBackoffException({ topic: record.topic, partition: record.partition }, record.offset, due);
    }
    return listener(record, ctx);
  };
}
