import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';
import { buildRecordBatch } from './build-record-batch.js';
import { ControlRecordType, decodeControlRecordKey, encodeControlRecordKey } from './control-record.js';
import type { KafkaRecord } from './record.js';

/**
 * A transaction marker (Kafka's `EndTransactionMarker`): the single record of a control batch that
 * a transaction coordinator has the partition leaders append to commit or abort a producer's
 * transaction.
 *
 *   key     control record key: version int16 (0), type int16 (0 = ABORT, 1 = COMMIT)
 *   value   version int16 (0), coordinatorEpoch int32
 *
 * The batch is transactional and control, carries the producer's ID and epoch, and has no
 * sequence number.
 */
export interface EndTransactionMarker {
  readonly type: typeof ControlRecordType.ABORT | typeof ControlRecordType.COMMIT;
  readonly coordinatorEpoch: number;
}

export const END_TXN_MARKER_VALUE_VERSION = 0;
export const END_TXN_MARKER_VALUE_BYTES = 6;

export function encodeEndTransactionMarkerValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.allocUnsafe(END_TXN_MARKER_VALUE_BYTES);
  value.writeInt16BE(END_TXN_MARKER_VALUE_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/**
 * Reads the marker from a control record. Like Kafka, a newer value version is read as version 0
 * and trailing bytes are ignored; a key of another control type or a value shorter than six bytes
 * is CORRUPT_MESSAGE.
 */
export function decodeEndTransactionMarker(record: Pick<KafkaRecord, 'key' | 'value'>): EndTransactionMarker {
  const { type } = decodeControlRecordKey(record.key);
  if (type !== ControlRecordType.ABORT && type !== ControlRecordType.COMMIT) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `control record type ${type} is not a transaction marker`);
  }
  const value = record.value;
  if (value === null || value.length < END_TXN_MARKER_VALUE_BYTES) {
    throw new KafkaError(
      ErrorCode.CORRUPT_MESSAGE,
      `end transaction marker value needs ${END_TXN_MARKER_VALUE_BYTES} bytes, found ${value === null ? 'null' : value.length}`,
    );
  }
  return { type, coordinatorEpoch: value.readInt32BE(2) };
}

export interface EndTransactionMarkerBatchInput {
  readonly marker: EndTransactionMarker;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseOffset?: number;
  readonly partitionLeaderEpoch?: number;
  /** `Date.now()` if omitted. */
  readonly timestamp?: number;
}

/** Builds the control batch holding one marker (Kafka's MemoryRecords.withEndTransactionMarker). */
export function buildEndTransactionMarkerBatch(input: EndTransactionMarkerBatchInput): Buffer {
  return buildRecordBatch({
    baseOffset: input.baseOffset ?? 0,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? -1,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    isTransactional: true,
    isControl: true,
    records: [
      {
        key: encodeControlRecordKey(input.marker.type),
        value: encodeEndTransactionMarkerValue(input.marker.coordinatorEpoch),
        timestamp: input.timestamp ?? Date.now(),
      },
    ],
  });
}
