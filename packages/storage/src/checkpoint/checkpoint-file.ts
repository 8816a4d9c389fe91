import * as fs from 'node:fs';
import { atomicWriteFile } from '../util/file-ops.js';

/** How one entry of a checkpoint file is written as a line and parsed back. */
export interface CheckpointFormatter<T> {
  toLine(entry: T): string;
  /** Undefined if the line is malformed. */
  fromLine(line: string): T | undefined;
}

export class CorruptCheckpointError extends Error {
  constructor(path: string, detail: string) {
    super(`malformed checkpoint file ${path}: ${detail}`);
    this.name = 'CorruptCheckpointError';
  }
}

/**
 * Kafka's text checkpoint format (`CheckpointFile`):
 *   <version>\n
 *   <number of entries>\n
 *   <entry>\n   (once per entry)
 * Written to `<path>.tmp`, fsynced, renamed over `<path>` and the directory fsynced, so a reader
 * sees either the old or the new file. Writes are serialised per file.
 */
export class CheckpointFile<T> {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    readonly version: number,
    private readonly formatter: CheckpointFormatter<T>,
  ) {}

  static encode<T>(version: number, entries: readonly T[], formatter: CheckpointFormatter<T>): string {
    let text = `${version}\n${entries.length}\n`;
    for (const entry of entries) text += `${formatter.toLine(entry)}\n`;
    return text;
  }

  /** Atomically replaces the file with `entries`. Concurrent calls are applied in call order. */
  write(entries: readonly T[]): Promise<void> {
    const text = CheckpointFile.encode(this.version, entries, this.formatter);
    const next = this.writing.then(
      () => atomicWriteFile(this.path, text),
      () => atomicWriteFile(this.path, text),
    );
    this.writing = next.catch(() => {});
    return next;
  }

  /** The file's entries; an empty list if the file does not exist. Throws CorruptCheckpointError. */
  read(): T[] {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return CheckpointFile.decode(this.path, text, this.version, this.formatter);
  }

  static decode<T>(path: string, text: string, version: number, formatter: CheckpointFormatter<T>): T[] {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const fileVersion = Number(lines[0]);
    if (lines[0] === undefined || !Number.isInteger(fileVersion)) throw new CorruptCheckpointError(path, 'no version');
    if (fileVersion !== version) throw new CorruptCheckpointError(path, `unrecognised version ${fileVersion}`);
    const expected = Number(lines[1]);
    if (lines[1] === undefined || !Number.isInteger(expected) || expected < 0) {
      throw new CorruptCheckpointError(path, 'no entry count');
    }
    const entries: T[] = [];
    for (let i = 2; i < lines.length; i++) {
      const entry = formatter.fromLine(lines[i] as string);
      if (entry === undefined) throw new CorruptCheckpointError(path, `malformed line ${JSON.stringify(lines[i])}`);
      entries.push(entry);
    }
    if (entries.length !== expected) {
      throw new CorruptCheckpointError(path, `expected ${expected} entries but found ${entries.length}`);
    }
    return entries;
  }
}

function parseSafeInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const offsetFormatter: CheckpointFormatter<TopicPartitionOffset> = {
  toLine: (e) => `${e.topic} ${e.partition} ${e.offset}`,
  fromLine: (line) => {
    const parts = line.split(' ');
    if (parts.length !== 3) return undefined;
    const partition = parseSafeInt(parts[1]);
    const offset = parseSafeInt(parts[2]);
    if (partition === undefined || offset === undefined || !parts[0]) return undefined;
    return { topic: parts[0], partition, offset };
  },
};

/**
 * `recovery-point-offset-checkpoint`, `replication-offset-checkpoint`, `log-start-offset-checkpoint`
 * and `cleaner-offset-checkpoint` of a log dir (Kafka's `OffsetCheckpointFile`): version 0, lines
 * `<topic> <partition> <offset>`.
 */
export class OffsetCheckpointFile {
  static readonly VERSION = 0;
  private readonly file: CheckpointFile<TopicPartitionOffset>;

  constructor(readonly path: string) {
    this.file = new CheckpointFile(path, OffsetCheckpointFile.VERSION, offsetFormatter);
  }

  write(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return this.file.write(offsets);
  }

  /** Offsets keyed by `<topic>-<partition>`. */
  read(): Map<string, number> {
    const map = new Map<string, number>();
    for (const e of this.file.read()) map.set(`${e.topic}-${e.partition}`, e.offset);
    return map;
  }

  readEntries(): TopicPartitionOffset[] {
    return this.file.read();
  }
}

export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export const epochEntryFormatter: CheckpointFormatter<EpochEntry> = {
  toLine: (e) => `${e.epoch} ${e.startOffset}`,
  fromLine: (line) => {
    const parts = line.split(/\s+/);
    if (parts.length !== 2) return undefined;
    const epoch = parseSafeInt(parts[0]);
    const startOffset = parseSafeInt(parts[1]);
    if (epoch === undefined || startOffset === undefined) return undefined;
    return { epoch, startOffset };
  },
};

/** `leader-epoch-checkpoint` (Kafka's `LeaderEpochCheckpointFile`): version 0, lines `<epoch> <startOffset>`. */
export class LeaderEpochCheckpointFile {
  static readonly VERSION = 0;
  private readonly file: CheckpointFile<EpochEntry>;

  constructor(readonly path: string) {
    this.file = new CheckpointFile(path, LeaderEpochCheckpointFile.VERSION, epochEntryFormatter);
  }

  write(entries: readonly EpochEntry[]): Promise<void> {
    return this.file.write(entries);
  }

  read(): EpochEntry[] {
    return this.file.read();
  }
}
