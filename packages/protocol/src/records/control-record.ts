import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';

/**
 * The key of every record in a control batch (Kafka's `ControlRecordType`):
 *
 *   version   int16   0
 *   type      int16   see ControlRecordType
 *
 * Transaction markers (ABORT, COMMIT) are the ones clients see; the others belong to KRaft's
 * metadata log and snapshots.
 */
export const ControlRecordType = {
  ABORT: 0,
  COMMIT: 1,
  LEADER_CHANGE: 2,
  SNAPSHOT_HEADER: 3,
  SNAPSHOT_FOOTER: 4,
  KRAFT_VERSION: 5,
  KRAFT_VOTERS: 6,
} as const;
export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType];

export const CONTROL_RECORD_KEY_VERSION = 0;
export const CONTROL_RECORD_KEY_BYTES = 4;

export interface ControlRecordKey {
  readonly version: number;
  /** A ControlRecordType, or another number from a newer broker (Kafka's UNKNOWN). */
  readonly type: number;
}

export function encodeControlRecordKey(type: ControlRecordType): Buffer {
  const key = Buffer.allocUnsafe(CONTROL_RECORD_KEY_BYTES);
  key.writeInt16BE(CONTROL_RECORD_KEY_VERSION, 0);
  key.writeInt16BE(type, 2);
  return key;
}

/**
 * Reads a control record key. Like Kafka, a newer key version is read as version 0 (its first two
 * fields are stable), and extra bytes are ignored; fewer than four bytes are CORRUPT_MESSAGE.
 */
export function decodeControlRecordKey(key: Buffer | null): ControlRecordKey {
  if (key === null || key.length < CONTROL_RECORD_KEY_BYTES) {
    throw new KafkaError(
      ErrorCode.CORRUPT_MESSAGE,
      `control record key needs ${CONTROL_RECORD_KEY_BYTES} bytes, found ${key === null ? 'null' : key.length}`,
    );
  }
  const version = key.readInt16BE(0);
  if (version < 0) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `control record key version ${version}`);
  return { version, type: key.readInt16BE(2) };
}
