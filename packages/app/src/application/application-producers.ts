import { Producer } from '@samsa/client';
import { withTypeHeaders } from '../serde/json-serializer.js';
import { KafkaTemplate } from '../template/kafka-template.js';
import type { KafkaApplicationOptions } from './application-options.js';

/** The application's KafkaTemplate (Spring's auto-configured one). */
export function applicationTemplate(options: KafkaApplicationOptions): KafkaTemplate<unknown, unknown> {
  const { keySerializer, valueSerializer, transactionIdPrefix, defaultTopic, producerListener } = options;
  return new KafkaTemplate<unknown, unknown>(
    { ...options.common, ...options.producer },
    {
      ...(keySerializer === undefined ? {} : { keySerializer }),
      ...(valueSerializer === undefined ? {} : { valueSerializer }),
      ...(transactionIdPrefix === undefined ? {} : { transactionIdPrefix }),
      ...(defaultTopic === undefined ? {} : { defaultTopic }),
      ...(producerListener === undefined ? {} : { producerListener }),
      // Spring's JsonSerializer writes `__TypeId__`: a client serializer cannot add headers.
      recordInterceptor: (record) =>
        withTypeHeaders(record, {
          ...(keySerializer === undefined ? {} : { key: keySerializer }),
          ...(valueSerializer === undefined ? {} : { value: valueSerializer }),
        }),
    },
  );
}

/**
 * The producer of dead letters and retries. Not transactional (a dead letter is published once,
 * whatever the listener's transaction does), and bytes in, bytes out: the configured serializer
 * names are dropped, so records are never re-serialized.
 */
export function rawRecordProducer(options: KafkaApplicationOptions): Producer<Buffer, Buffer> {
  const {
    'transactional.id': _t,
    transactionalId: _tc,
    'key.serializer': _ks,
    'value.serializer': _vs,
    keySerializer: _ksc,
    valueSerializer: _vsc,
    ...config
  } = { ...options.common, ...options.producer };
  return new Producer<Buffer, Buffer>({ ...config, keySerializer: 'buffer', valueSerializer: 'buffer' });
}
