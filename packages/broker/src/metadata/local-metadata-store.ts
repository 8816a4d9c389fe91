import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '@samsa/storage';
import type { StoredResourceAcls } from '../security/acl/acl-json.js';
import type { TopicRegistration } from './cluster-image.js';

/**
 * What a single-node broker (no ZooKeeper) must remember besides its logs: the topics with their
 * IDs, assignments and config overrides, dynamic broker configs, the next producer-ID block, and
 * SCRAM users.
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
  /** ACLs, one entry per resource pattern (AclAuthorizer); absent in files written before ACLs existed. */
  acls?: StoredResourceAcls[];
  /**
   * SCRAM users: user → config entries as ZooKeeper's `/config/users/<user>` holds them
   * (`"SCRAM-SHA-256": "salt=…,stored_key=…,server_key=…,iterations=4096"`). Absent in files
   * written before SCRAM users existed.
   */
  scramCredentials?: Record<string, Record<string, string>>;
  /** Client quotas: entity path (`users/alice/clients/app`, as in ZooKeeper) → config entries. */
  clientQuotas?: Record<string, Record<string, string>>;
  /** Group configs (resource type GROUP): group id → overrides. Absent in files written before them. */
  groupConfigs?: Record<string, Record<string, string>>;
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

  /**
   * Replaces the file atomically and durably; resolves once the new file and its rename are
   * fsynced. Saves must not overlap (they share one temp file): LocalController runs them one at
   * a time.
   */
  save(metadata: LocalMetadata): Promise<void> {
    return atomicWriteFile(this.path, `${JSON.stringify(metadata, null, 1)}\n`);
  }
}
