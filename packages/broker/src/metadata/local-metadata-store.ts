import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TopicRegistration } from './cluster-image.js';

/**
 * What a single-node broker (no ZooKeeper) must remember besides its logs: the topics with their
 * IDs, assignments and config overrides, dynamic broker configs, and the next producer-ID block.
 * In a cluster this lives in ZooKeeper; alone, the broker keeps it in one JSON file in its first
 * log dir, replaced atomically (write temp, fsync, rename, fsync dir) on every change.
 */
export interface LocalMetadata {
  version: 1;
  clusterId: string;
  topics: TopicRegistration[];
  /** Dynamic broker configs: `""` holds cluster-wide defaults, `"<brokerId>"` per-broker ones. */
  brokerConfigs: Record<string, Record<string, string>>;
  /** First producer ID not yet handed out (IDs are allocated in blocks, like ZK's latest_producer_id_block). */
  nextProducerIdBlockStart: number;
}

export const METADATA_FILE_NAME = 'samsa-metadata.json';

export class LocalMetadataStore {
  readonly path: string;

  constructor(logDir: string) {
    this.path = join(logDir, METADATA_FILE_NAME);
  }

  load(): LocalMetadata | undefined {
    if (!existsSync(this.path)) return undefined;
    const text = readFileSync(this.path, 'utf8');
    let parsed: LocalMetadata;
    try {
      parsed = JSON.parse(text) as LocalMetadata;
    } catch (cause) {
      throw new Error(`metadata file ${this.path} is corrupt; refusing to start`, { cause });
    }
    if (parsed.version !== 1) throw new Error(`metadata file ${this.path} has unknown version ${parsed.version}`);
    return parsed;
  }

  save(metadata: LocalMetadata): void {
    writeFileAtomically(this.path, `${JSON.stringify(metadata, null, 1)}\n`);
  }
}

/** Replaces `path` with `text` so that a crash leaves either the old or the new file, never a mix. */
export function writeFileAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
