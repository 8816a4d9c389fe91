import { ErrorCode, KafkaError } from '@samsa/protocol';
import { MAX_SAFE_MS } from '../util/int64.js';

export type CleanupPolicy = 'delete' | 'compact';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/**
 * A partition's effective topic configuration: Kafka's topic config names in camelCase, with the
 * unit in the name. Kafka's `Long.MAX_VALUE` ("never") is Number.MAX_SAFE_INTEGER here.
 */
export interface LogConfig {
  /** segment.bytes: roll when the active segment would exceed this. */
  readonly segmentBytes: number;
  /** segment.ms: roll when the active segment's first batch is older than this. */
  readonly segmentMs: number;
  /** segment.jitter.ms: a random amount in [0, this) subtracted from segmentMs per segment. */
  readonly segmentJitterMs: number;
  /** segment.index.bytes: capacity of each offset/time index; roll when either is full. */
  readonly segmentIndexBytes: number;
  /** index.interval.bytes: log bytes between two offset index entries. */
  readonly indexIntervalBytes: number;
  /** retention.ms: delete segments whose largest timestamp is older than this; -1 = forever. */
  readonly retentionMs: number;
  /** retention.bytes: delete oldest segments while the log is bigger than this; -1 = unlimited. */
  readonly retentionBytes: number;
  readonly cleanupPolicy: readonly CleanupPolicy[];
  /** delete.retention.ms: how long tombstones survive after their segment was cleaned. */
  readonly deleteRetentionMs: number;
  readonly minCompactionLagMs: number;
  readonly maxCompactionLagMs: number;
  readonly minCleanableDirtyRatio: number;
  /** flush.messages: fsync after this many unflushed messages. */
  readonly flushMessages: number;
  /** flush.ms: fsync when the last flush is older than this. */
  readonly flushMs: number;
  /** max.message.bytes: largest record batch accepted. */
  readonly maxMessageBytes: number;
  readonly messageTimestampType: TimestampType;
  /** message.timestamp.before.max.ms: reject CreateTime batches older than now minus this. */
  readonly messageTimestampBeforeMaxMs: number;
  /** message.timestamp.after.max.ms: reject CreateTime batches newer than now plus this. */
  readonly messageTimestampAfterMaxMs: number;
  /** file.delete.delay.ms: delay between renaming a segment to `.deleted` and deleting it. */
  readonly fileDeleteDelayMs: number;
  /** preallocate: size new segment files to segmentBytes up front (trimmed on roll/close). */
  readonly preallocate: boolean;
  /**
   * min.insync.replicas: the in-sync replicas an acks=all append needs. Not used by the log itself;
   * it lives here, as in Kafka's LogConfig, so a partition reads it with the rest of its topic
   * config and config changes reach it the same way.
   */
  readonly minInSyncReplicas: number;
}

/** Kafka 4.x defaults (`LogConfig`/`ServerLogConfigs`). */
export const defaultLogConfig: LogConfig = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  segmentJitterMs: 0,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: Object.freeze(['delete'] as CleanupPolicy[]),
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCompactionLagMs: 0,
  maxCompactionLagMs: MAX_SAFE_MS,
  minCleanableDirtyRatio: 0.5,
  flushMessages: MAX_SAFE_MS,
  flushMs: MAX_SAFE_MS,
  maxMessageBytes: 1024 * 1024 + 12,
  messageTimestampType: 'CreateTime',
  messageTimestampBeforeMaxMs: MAX_SAFE_MS,
  messageTimestampAfterMaxMs: 60 * 60 * 1000,
  fileDeleteDelayMs: 60_000,
  preallocate: false,
  minInSyncReplicas: 1,
});

/** `{ ...defaultLogConfig, ...overrides }`, validated. */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config = { ...defaultLogConfig, ...overrides };
  validateLogConfig(config);
  return config;
}

/** Rejects values Kafka's ConfigDef would reject (INVALID_CONFIG). */
export function validateLogConfig(config: LogConfig): void {
  const fail = (msg: string): never => {
    throw new KafkaError(ErrorCode.INVALID_CONFIG, msg);
  };
  // segment.bytes has a floor of 14 in Kafka (LegacyRecord.RECORD_OVERHEAD_V0); batches need 61.
  if (config.segmentBytes < 14) fail(`segmentBytes ${config.segmentBytes} must be at least 14`);
  if (config.segmentMs < 1) fail('segmentMs must be at least 1');
  if (config.segmentJitterMs < 0) fail('segmentJitterMs must be non-negative');
  if (config.segmentIndexBytes < 12) fail('segmentIndexBytes must hold at least one entry (12 bytes)');
  if (config.indexIntervalBytes < 0) fail('indexIntervalBytes must be non-negative');
  if (config.retentionMs < -1) fail('retentionMs must be -1 or more');
  if (config.minCleanableDirtyRatio < 0 || config.minCleanableDirtyRatio > 1) {
    fail('minCleanableDirtyRatio must be within [0, 1]');
  }
  if (config.cleanupPolicy.some((p) => p !== 'delete' && p !== 'compact')) fail('unknown cleanupPolicy');
  if (config.maxMessageBytes < 0) fail('maxMessageBytes must be non-negative');
  if (config.flushMessages < 1) fail('flushMessages must be at least 1');
  if (config.minInSyncReplicas < 1) fail('minInSyncReplicas must be at least 1');
}

export function isCompacted(config: LogConfig): boolean {
  return config.cleanupPolicy.includes('compact');
}

export function hasDeletePolicy(config: LogConfig): boolean {
  return config.cleanupPolicy.includes('delete');
}
