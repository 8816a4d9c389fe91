import { AclPatternType } from '@samsa/protocol';
import type { BrokerConfig } from '../../config/broker-config.js';
import type { Logger } from '../../logger.js';
import { isZkError, KafkaZkClient, ZkCode } from '../../zk/kafka-zk-client.js';
import { type AccessControlEntry, formatPattern, type ResourceAcls, type ResourcePattern } from './acl-binding.js';
import { decodeAclsZNode, encodeAclsZNode, parseResourceType } from './acl-json.js';
import { type AclStore, sameEntries } from './acl-store.js';
import { ZkAclChangeListener } from './zk-acl-change-listener.js';
import {
  ACL_CHANGE_PREFIX,
  aclChangesPath,
  aclPath,
  aclPathsToCreate,
  aclRoot,
  EXTENDED_ACL_CHANGES,
  encodeAclChange,
  LITERAL_ACL_CHANGES,
} from './zk-acl-znodes.js';

/** Kafka's AclAuthorizer gives up an update after this many conflicting writes. */
const MAX_UPDATE_RETRIES = 10;
const RETRY_BACKOFF_MS = 100;
const RETRY_BACKOFF_JITTER_MS = 50;

/**
 * ACLs in ZooKeeper, in Kafka's layout (see zk-acl-znodes.ts), as Kafka's AclAuthorizer keeps
 * them: one znode per pattern, changed conditionally on its znode version (a concurrent writer's
 * change is re-read and the update retried on BAD_VERSION / NODE_EXISTS / NO_NODE), then announced
 * by a sequential notification every broker follows.
 *
 * Uses a ZooKeeper session of its own (Kafka's "ACL authorizer" client), closed with the store.
 */
export class ZkAclStore implements AclStore {
  private readonly listeners: ZkAclChangeListener[] = [];
  private stopNewSessionListener: (() => void) | undefined;

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly logger: Logger,
    /** Whether `close` closes the session too. */
    private readonly ownsSession: boolean,
  ) {}

  /**
   * Opens the store's own ZooKeeper session from the broker's `zookeeper.*` settings and creates
   * the ACL paths.
   */
  static async connect(config: BrokerConfig, logger: Logger): Promise<ZkAclStore> {
    const sessionTimeoutMs = config.int('zookeeper.session.timeout.ms');
    const zk = await KafkaZkClient.connect({
      connect: config.string('zookeeper.connect') as string,
      sessionTimeoutMs,
      connectionTimeoutMs: (config.get('zookeeper.connection.timeout.ms') as number | null) ?? sessionTimeoutMs,
      logger: logger.child({ component: 'acl-zookeeper' }),
    });
    const store = new ZkAclStore(zk, logger, true);
    try {
      await store.init();
    } catch (err) {
      zk.close();
      throw err;
    }
    return store;
  }

  /** Creates the ACL paths (Kafka's createAclPaths). */
  async init(): Promise<void> {
    for (const path of aclPathsToCreate()) await this.zk.createRecursive(path);
  }

  async loadAll(): Promise<ResourceAcls[]> {
    const loaded: ResourceAcls[] = [];
    for (const patternType of [AclPatternType.LITERAL, AclPatternType.PREFIXED]) {
      const root = aclRoot(patternType);
      for (const typeName of (await this.zk.getChildren(root)) ?? []) {
        let resourceType: ResourcePattern['resourceType'];
        try {
          resourceType = parseResourceType(typeName, root);
        } catch {
          this.logger.warn(`Ignoring unknown ResourceType: ${typeName}`);
          continue;
        }
        for (const name of (await this.zk.getChildren(`${root}/${typeName}`)) ?? []) {
          const pattern: ResourcePattern = { resourceType, name, patternType };
          const entries = await this.read(pattern);
          if (entries.length > 0) loaded.push({ pattern, entries });
        }
      }
    }
    return loaded;
  }

  async read(pattern: ResourcePattern): Promise<readonly AccessControlEntry[]> {
    return (await this.readVersioned(pattern)).entries;
  }

  private async readVersioned(
    pattern: ResourcePattern,
  ): Promise<{ entries: readonly AccessControlEntry[]; version: number | undefined }> {
    const path = aclPath(pattern);
    const found = await this.zk.getData(path);
    if (found === undefined) return { entries: [], version: undefined };
    return { entries: decodeAclsZNode(found.data, path), version: found.stat.version };
  }

  async update(
    pattern: ResourcePattern,
    change: (current: readonly AccessControlEntry[]) => readonly AccessControlEntry[],
  ): Promise<readonly AccessControlEntry[]> {
    const path = aclPath(pattern);
    for (let attempt = 0; attempt <= MAX_UPDATE_RETRIES; attempt++) {
      if (attempt > 0) await sleep(RETRY_BACKOFF_MS + Math.floor(Math.random() * RETRY_BACKOFF_JITTER_MS));
      const current = await this.readVersioned(pattern);
      const next = change(current.entries);
      if (sameEntries(current.entries, next)) return current.entries;
      try {
        if (next.length === 0) await this.zk.delete(path, current.version);
        else if (current.version === undefined) await this.create(path, encodeAclsZNode(next));
        else await this.zk.setData(path, encodeAclsZNode(next), current.version);
      } catch (err) {
        const conflict =
          isZkError(err, ZkCode.BAD_VERSION) || isZkError(err, ZkCode.NODE_EXISTS) || isZkError(err, ZkCode.NO_NODE);
        if (!conflict) throw err;
        this.logger.debug(`Failed to update ACLs for ${formatPattern(pattern)}: ${(err as Error).message}; retrying`);
        continue;
      }
      this.logger.info(`Updated ACLs for ${formatPattern(pattern)}`);
      await this.zk.create(
        `${aclChangesPath(pattern.patternType)}/${ACL_CHANGE_PREFIX}`,
        encodeAclChange(pattern),
        'persistent-sequential',
      );
      return next;
    }
    throw new Error(
      `Failed to update ACLs for ${formatPattern(pattern)} after trying a maximum of ${MAX_UPDATE_RETRIES} times`,
    );
  }

  /** Creates a pattern's znode; its type directory is re-created if someone deleted it. */
  private async create(path: string, data: Buffer): Promise<void> {
    try {
      await this.zk.create(path, data, 'persistent');
    } catch (err) {
      if (!isZkError(err, ZkCode.NO_NODE)) throw err;
      await this.zk.createRecursive(path.slice(0, path.lastIndexOf('/')));
      await this.zk.create(path, data, 'persistent');
    }
  }

  async watch(onChange: (pattern: ResourcePattern) => void): Promise<void> {
    for (const changesPath of [LITERAL_ACL_CHANGES, EXTENDED_ACL_CHANGES]) {
      const listener = new ZkAclChangeListener(this.zk, changesPath, onChange, this.logger);
      await listener.startup();
      this.listeners.push(listener);
    }
    this.stopNewSessionListener = this.zk.onNewSession(() => {
      for (const listener of this.listeners) listener.schedule();
    });
  }

  close(): void {
    this.stopNewSessionListener?.();
    for (const listener of this.listeners) listener.close();
    if (this.ownsSession) this.zk.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
