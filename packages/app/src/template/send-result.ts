import type { ProducerRecord, RecordMetadata } from '@samsa/client';

/**
 * What a `KafkaTemplate` send resolves with (Spring's `SendResult`): the record as it was sent —
 * after the template's `recordInterceptor` — and what the broker made of it.
 */
export interface SendResult<K, V> {
  readonly producerRecord: ProducerRecord<K, V>;
  readonly recordMetadata: RecordMetadata;
}
