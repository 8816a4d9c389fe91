import type { Props } from '../connector/connector.js';
import { badRequest, ConnectRestException } from './connect-errors.js';

/**
 * KIP-875's offsets, as `GET/PATCH …/offsets` carry them: `{"offsets":[{"partition":{…},
 * "offset":{…}}]}`. A source connector's partitions and offsets are whatever its tasks wrote; a
 * sink connector's are `{"kafka_topic","kafka_partition"}` → `{"kafka_offset"}`, the committed
 * offsets of its consumer group. In a PATCH, a null offset resets that partition.
 */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** A sink partition's new offset, or null to forget it (Kafka's `Map<TopicPartition, Long>`). */
export interface SinkOffsetChange {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}

export const KAFKA_TOPIC_KEY = 'kafka_topic';
export const KAFKA_PARTITION_KEY = 'kafka_partition';
export const KAFKA_OFFSET_KEY = 'kafka_offset';

/** The consumer group of a sink connector: `connect-<name>` unless the connector overrides it. */
export function sinkGroupId(name: string, config: Props): string {
  return config['consumer.override.group.id'] ?? `connect-${name}`;
}

/** Kafka's success messages: the short one only when the connector's `alterOffsets` said true. */
export function offsetsModifiedMessage(reset: boolean, confirmedByConnector: boolean): string {
  const verb = reset ? 'reset' : 'altered';
  if (confirmedByConnector) return `The offsets for this connector have been ${verb} successfully`;
  return (
    `The Connect framework-managed offsets for this connector have been ${verb} successfully. However, if this ` +
    `connector manages offsets externally, they will need to be manually ${verb} in the system that the connector uses.`
  );
}

export function notStoppedMessage(name: string): string {
  return (
    'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
    `specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`
  );
}

/** A PATCH body must name at least one partition (Kafka's ConnectorsResource). */
export function requireOffsets(body: Partial<ConnectorOffsets> | null | undefined): ConnectorOffset[] {
  const offsets = body?.offsets;
  if (!Array.isArray(offsets) || offsets.length === 0) {
    throw badRequest('Partitions / offsets need to be provided for an alter offsets request');
  }
  return offsets;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a sink connector's PATCH entries with Kafka's (SinkUtils') checks and messages. */
export function parseSinkOffsets(offsets: readonly ConnectorOffset[]): SinkOffsetChange[] {
  const out: SinkOffsetChange[] = [];
  for (const entry of offsets) {
    const partition: unknown = entry?.partition;
    if (!isObject(partition)) throw badRequest('The partition for a sink connector offset cannot be null or missing');
    if (!(KAFKA_TOPIC_KEY in partition) || !(KAFKA_PARTITION_KEY in partition)) {
      throw badRequest(
        `The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC_KEY}' and '${KAFKA_PARTITION_KEY}'`,
      );
    }
    const topic = partition[KAFKA_TOPIC_KEY];
    const partitionValue = partition[KAFKA_PARTITION_KEY];
    if (topic === null || topic === undefined) {
      throw badRequest('Kafka topic names must be valid strings and may not be null');
    }
    if (partitionValue === null || partitionValue === undefined) {
      throw badRequest('Kafka partitions must be valid numbers and may not be null');
    }
    // As Kafka, 10 and "10" are both accepted: the value is read through its string form.
    const partitionNumber = parseJavaInteger(String(partitionValue), 32);
    if (partitionNumber === undefined) {
      throw badRequest(
        `Failed to parse the following Kafka partition value in the provided offsets: '${String(partitionValue)}'. ` +
          'Partition values for sink connectors need to be integers.',
      );
    }
    const offset: unknown = entry.offset;
    if (offset === null || offset === undefined) {
      out.push({ topic: String(topic), partition: Number(partitionNumber), offset: null });
      continue;
    }
    if (!isObject(offset) || !(KAFKA_OFFSET_KEY in offset)) {
      throw badRequest(
        `The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET_KEY}'`,
      );
    }
    const offsetNumber = parseJavaInteger(String(offset[KAFKA_OFFSET_KEY]), 64);
    if (offsetNumber === undefined) {
      throw badRequest(
        `Failed to parse the following Kafka offset value in the provided offsets: '${String(offset[KAFKA_OFFSET_KEY])}'. ` +
          'Offset values for sink connectors need to be integers.',
      );
    }
    out.push({ topic: String(topic), partition: Number(partitionNumber), offset: offsetNumber });
  }
  return out;
}

/** Java's `Integer.parseInt`/`Long.parseLong`: an optional sign and decimal digits within range. */
function parseJavaInteger(text: string, bits: 32 | 64): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  const max = (1n << BigInt(bits - 1)) - 1n;
  return value > max || value < -max - 1n ? undefined : value;
}

/**
 * Checks a source connector's PATCH entries as Kafka's worker does: a partition is required and
 * partitions and offsets hold only primitive values (they are stored through a schemaless
 * converter and must compare equal when read back).
 */
export function checkSourceOffsets(offsets: readonly ConnectorOffset[]): ConnectorOffset[] {
  for (const entry of offsets) {
    const partition: unknown = entry?.partition;
    if (!isObject(partition)) throw badRequest('Source partitions may not be null');
    checkPrimitiveValues(partition);
    const offset: unknown = entry.offset;
    if (offset === null || offset === undefined) continue;
    if (!isObject(offset)) throw badRequest('Offsets must be specified as a Map');
    checkPrimitiveValues(offset);
  }
  // A missing offset is a null one, as Jackson reads it: that partition is reset.
  return offsets.map((o) => ({ partition: o.partition, offset: o.offset ?? null }));
}

/** Kafka's OffsetUtils.validateFormat, for partitions and offsets alike; a DataException there, so a 500. */
function checkPrimitiveValues(map: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(map)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) continue;
    throw new ConnectRestException(
      500,
      `Offsets may only contain primitive types as values, but field ${key} contains ${Array.isArray(value) ? 'ARRAY' : 'MAP'}`,
    );
  }
}
