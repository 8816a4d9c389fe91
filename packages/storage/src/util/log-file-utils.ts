import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * File names of a partition directory, as Kafka's `LogFileUtils` spells them. Segment files are
 * named by their base offset zero-padded to 20 digits (`00000000000000000042.log`).
 */
export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const TXN_INDEX_FILE_SUFFIX = '.txnindex';
export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
/** Suffix of files scheduled for asynchronous deletion. */
export const DELETED_FILE_SUFFIX = '.deleted';
/** Suffix of a cleaner's output before it is swapped in. */
export const CLEANED_FILE_SUFFIX = '.cleaned';
/** Suffix of a cleaner's output that is complete and about to replace the old segments. */
export const SWAP_FILE_SUFFIX = '.swap';
export const TMP_FILE_SUFFIX = '.tmp';
/** Suffix of a partition directory being deleted: `<topic>-<partition>.<uuid>-delete`. */
export const DELETE_DIR_SUFFIX = '-delete';
/**
 * Suffix of a future replica's directory, the copy of a partition being moved to another log dir
 * (AlterReplicaLogDirs): `<topic>-<partition>.<uuid>-future`, renamed `<topic>-<partition>` when
 * it replaces the current one.
 */
export const FUTURE_DIR_SUFFIX = '-future';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
export const PARTITION_METADATA_FILE = 'partition.metadata';

export function filenamePrefixFromOffset(offset: number): string {
  return String(offset).padStart(20, '0');
}

export function logFile(dir: string, offset: number, suffix = ''): string {
  return join(dir, filenamePrefixFromOffset(offset) + LOG_FILE_SUFFIX + suffix);
}

export function offsetIndexFile(dir: string, offset: number, suffix = ''): string {
  return join(dir, filenamePrefixFromOffset(offset) + INDEX_FILE_SUFFIX + suffix);
}

export function timeIndexFile(dir: string, offset: number, suffix = ''): string {
  return join(dir, filenamePrefixFromOffset(offset) + TIME_INDEX_FILE_SUFFIX + suffix);
}

export function transactionIndexFile(dir: string, offset: number, suffix = ''): string {
  return join(dir, filenamePrefixFromOffset(offset) + TXN_INDEX_FILE_SUFFIX + suffix);
}

export function producerSnapshotFile(dir: string, offset: number): string {
  return join(dir, filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_FILE_SUFFIX);
}

/** The base offset encoded in a segment or snapshot file name (`00000000000000000042.log` → 42). */
export function offsetFromFileName(name: string): number {
  const dot = name.indexOf('.');
  return Number(dot < 0 ? name : name.slice(0, dot));
}

/** `<topic>-<partition>` → `{ topic, partition }`; undefined for names that are not partition dirs. */
export function parseTopicPartitionName(name: string): { topic: string; partition: number } | undefined {
  // Deleted (`t-0.<uuid>-delete`), future and stray dirs are not partitions.
  if (name.endsWith(DELETE_DIR_SUFFIX) || name.endsWith(FUTURE_DIR_SUFFIX) || name.endsWith('-stray')) return undefined;
  const dash = name.lastIndexOf('-');
  if (dash <= 0 || dash === name.length - 1) return undefined;
  const partText = name.slice(dash + 1);
  if (!/^\d+$/.test(partText)) return undefined;
  return { topic: name.slice(0, dash), partition: Number(partText) };
}

export function topicPartitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** `<topic>-<partition>.<uuid>-delete` or `-future` (Kafka's `logDeleteDirName`, `logFutureDirName`). */
export function uniqueDirName(topic: string, partition: number, suffix: string): string {
  return `${topicPartitionDirName(topic, partition)}.${randomUUID().replaceAll('-', '')}${suffix}`;
}

/**
 * The partition of a `<topic>-<partition>.<uuid><suffix>` dir (`-delete`, `-future`); undefined
 * for any other name. Topics may contain dots, uuids never do.
 */
export function parseUniqueDirName(name: string, suffix: string): { topic: string; partition: number } | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const base = name.slice(0, -suffix.length);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || !/^[0-9a-f]{32}$/.test(base.slice(dot + 1))) return undefined;
  return parseTopicPartitionName(base.slice(0, dot));
}
