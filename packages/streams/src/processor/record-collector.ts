import type { RecordHeader } from '@samsa/client';
import type { RecordMetadata } from './processor-context.js';

/**
 * Where a task's output goes: sink records and changelog writes, already serialized, to a real
 * topic name (internal topics carry the application id). The runtime sends them with a producer;
 * TopologyTestDriver keeps them in memory.
 */
export interface RecordCollector {
  send(
    topic: string,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: readonly RecordHeader[],
    partition: number | undefined,
    /** The input record being processed (for the production exception handler), if any. */
    source?: RecordMetadata | null,
    /** A store's changelog write: the runtime wants its acknowledged offset for the checkpoint. */
    changelog?: boolean,
  ): void;
  /** Partition count of a topic, for a sink's `StreamPartitioner`; undefined if unknown. */
  partitionsFor(topic: string): number | undefined;
}
