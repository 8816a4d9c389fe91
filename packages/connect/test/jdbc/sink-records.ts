import type { SinkRecord } from '../../src/connector/connect-record.js';
import type { Schema } from '../../src/data/schema.js';

/** A sink record as the worker hands it to `put`, at `offset` of partition 0. */
export function sinkRecord(
  topic: string,
  offset: number,
  keySchema: Schema | null,
  key: unknown,
  valueSchema: Schema | null,
  value: unknown,
): SinkRecord {
  return {
    topic,
    kafkaPartition: 0,
    kafkaOffset: BigInt(offset),
    keySchema,
    key,
    valueSchema,
    value,
    timestamp: 0,
    timestampType: 'CreateTime',
    headers: [],
  };
}
