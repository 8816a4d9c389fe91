import {
  GroupMetadataKeyCodec,
  type GroupMetadataValue,
  GroupMetadataValueCodec,
  type GroupMetadataValueInput,
  type OffsetCommitKey,
  OffsetCommitKeyCodec,
  type OffsetCommitValue,
  OffsetCommitValueCodec,
  Reader,
} from '@samsa/protocol';
import type { CoordinatorRecord } from '../coordinator-log.js';
import { decodeVersioned as readWhole, encodeVersioned as versioned } from '../versioned-record.js';
import {
  type ConsumerGroupRecord,
  decodeConsumerGroupRecord,
  isConsumerGroupRecordType,
} from './consumer/consumer-group-records.js';
import type { OffsetCommitData } from './offset-and-metadata.js';

/*
 * The records of `__consumer_offsets`, byte for byte as Kafka writes them, so that tools reading
 * the topic (Burrow, kafka-console-consumer's formatters) understand ours. A record key is an
 * int16 key version followed by the key struct; the key version says what the record is. A value
 * is an int16 value version followed by the value struct, or null for a tombstone.
 *
 * Kafka 3.x/4.x (GroupCoordinatorRecordHelpers) writes:
 * - offset commit: key version 1, value version 3, or value version 1 when the commit carried a
 *   retention time (OffsetCommit v2-v4), the only version with an expireTimestamp field;
 * - group metadata: key version 2, value version 3 (the first with groupInstanceId); value
 *   version 4 (flexible) is read but not written.
 * Key versions 0 and 1 are both offset commits (identical struct); 3 to 8 are KIP-848 consumer
 * groups (consumer/consumer-group-records.ts); the others (share groups) are ignored here.
 */
export const OFFSET_COMMIT_KEY_VERSION = 1;
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRE_TIMESTAMP = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const GROUP_METADATA_VALUE_VERSION = 3;

/** A decoded `__consumer_offsets` record. */
export type GroupCoordinatorRecord =
  | {
      readonly type: 'offset-commit';
      readonly key: OffsetCommitKey;
      readonly value: OffsetCommitValue | null;
      readonly valueVersion: number;
    }
  | {
      readonly type: 'group-metadata';
      readonly groupId: string;
      readonly value: GroupMetadataValue | null;
      readonly valueVersion: number;
    }
  | { readonly type: 'consumer-group'; readonly record: ConsumerGroupRecord }
  /** A record of a group type this coordinator does not implement (share groups). */
  | { readonly type: 'unknown'; readonly keyVersion: number };

export function offsetCommitRecord(
  groupId: string,
  topic: string,
  partition: number,
  offset: OffsetCommitData,
): CoordinatorRecord {
  const valueVersion =
    offset.expireTimestampMs === undefined
      ? OFFSET_COMMIT_VALUE_VERSION
      : OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRE_TIMESTAMP;
  return {
    key: versioned(OffsetCommitKeyCodec, { group: groupId, topic, partition }, OFFSET_COMMIT_KEY_VERSION),
    value: versioned(
      OffsetCommitValueCodec,
      {
        offset: offset.committedOffset,
        leaderEpoch: offset.leaderEpoch,
        metadata: offset.metadata,
        commitTimestamp: BigInt(offset.commitTimestampMs),
        expireTimestamp: offset.expireTimestampMs === undefined ? -1n : BigInt(offset.expireTimestampMs),
      },
      valueVersion,
    ),
  };
}

export function offsetCommitTombstone(groupId: string, topic: string, partition: number): CoordinatorRecord {
  return {
    key: versioned(OffsetCommitKeyCodec, { group: groupId, topic, partition }, OFFSET_COMMIT_KEY_VERSION),
    value: null,
  };
}

export function groupMetadataRecord(groupId: string, value: GroupMetadataValueInput): CoordinatorRecord {
  return {
    key: versioned(GroupMetadataKeyCodec, { group: groupId }, GROUP_METADATA_KEY_VERSION),
    value: versioned(GroupMetadataValueCodec, value, GROUP_METADATA_VALUE_VERSION),
  };
}

export function groupMetadataTombstone(groupId: string): CoordinatorRecord {
  return { key: versioned(GroupMetadataKeyCodec, { group: groupId }, GROUP_METADATA_KEY_VERSION), value: null };
}

/**
 * Decodes a record read from the log (or just produced). Throws on bytes that are not a valid
 * record of a known type: a corrupt partition must fail to load rather than load wrong state.
 */
export function decodeGroupCoordinatorRecord(record: CoordinatorRecord): GroupCoordinatorRecord {
  const keyReader = new Reader(record.key);
  const keyVersion = keyReader.readInt16();
  if (keyVersion === 0 || keyVersion === 1) {
    const key = readWhole(OffsetCommitKeyCodec, keyReader, keyVersion);
    if (record.value === null) return { type: 'offset-commit', key, value: null, valueVersion: -1 };
    const valueReader = new Reader(record.value);
    const valueVersion = valueReader.readInt16();
    return {
      type: 'offset-commit',
      key,
      value: readWhole(OffsetCommitValueCodec, valueReader, valueVersion),
      valueVersion,
    };
  }
  if (keyVersion === GROUP_METADATA_KEY_VERSION) {
    const { group } = readWhole(GroupMetadataKeyCodec, keyReader, keyVersion);
    if (record.value === null) return { type: 'group-metadata', groupId: group, value: null, valueVersion: -1 };
    const valueReader = new Reader(record.value);
    const valueVersion = valueReader.readInt16();
    return {
      type: 'group-metadata',
      groupId: group,
      value: readWhole(GroupMetadataValueCodec, valueReader, valueVersion),
      valueVersion,
    };
  }
  if (isConsumerGroupRecordType(keyVersion)) {
    return { type: 'consumer-group', record: decodeConsumerGroupRecord(keyVersion, keyReader, record.value) };
  }
  return { type: 'unknown', keyVersion };
}
