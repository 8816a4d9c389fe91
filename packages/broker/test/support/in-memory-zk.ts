import type { KafkaZkClient, ZkStat } from '../../src/zk/kafka-zk-client.js';
import { ZkCode, ZkError } from '../../src/zk/kafka-zk-client.js';

interface Node {
  data: Buffer;
  version: number;
}

/**
 * The part of KafkaZkClient that config writers use (getData, setData, create, createRecursive,
 * getChildren), in memory, with ZooKeeper's versions and errors: conditional writes fail with
 * BAD_VERSION, creating an existing znode with NODE_EXISTS, a znode without parent with NO_NODE.
 * Several clients made with `client()` share one tree, as brokers share one ensemble; `beforeWrite`
 * runs before every write, for tests that make another writer win a race.
 */
export class InMemoryZk {
  readonly nodes = new Map<string, Node>([['/', { data: Buffer.alloc(0), version: 0 }]]);
  private sequence = 0;
  beforeWrite: ((path: string) => Promise<void>) | undefined;

  client(): KafkaZkClient {
    return this as unknown as KafkaZkClient;
  }

  async getData(path: string): Promise<{ data: Buffer; stat: ZkStat } | undefined> {
    const node = this.nodes.get(path);
    if (node === undefined) return undefined;
    return {
      data: node.data,
      stat: { version: node.version, czxid: 0n, ephemeralOwner: 0n, numChildren: 0, ctimeMs: Date.now() },
    };
  }

  async getChildren(path: string): Promise<string[] | undefined> {
    if (!this.nodes.has(path)) return undefined;
    const prefix = path === '/' ? '/' : `${path}/`;
    return [...this.nodes.keys()]
      .filter((p) => p.startsWith(prefix) && p.length > prefix.length && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length))
      .sort();
  }

  async create(path: string, data: Buffer | null, mode: string): Promise<string> {
    await this.beforeWrite?.(path);
    const created = mode === 'persistent-sequential' ? `${path}${String(this.sequence++).padStart(10, '0')}` : path;
    if (this.nodes.has(created)) throw new ZkError(ZkCode.NODE_EXISTS, created, `NODE_EXISTS ${created}`);
    if (!this.nodes.has(parentOf(created))) throw new ZkError(ZkCode.NO_NODE, created, `NO_NODE ${created}`);
    this.nodes.set(created, { data: data ?? Buffer.alloc(0), version: 0 });
    return created;
  }

  async createRecursive(path: string): Promise<void> {
    if (this.nodes.has(path)) return;
    await this.createRecursive(parentOf(path));
    if (!this.nodes.has(path)) this.nodes.set(path, { data: Buffer.alloc(0), version: 0 });
  }

  async setData(path: string, data: Buffer, version = -1): Promise<ZkStat> {
    await this.beforeWrite?.(path);
    const node = this.nodes.get(path);
    if (node === undefined) throw new ZkError(ZkCode.NO_NODE, path, `NO_NODE ${path}`);
    if (version !== -1 && version !== node.version) throw new ZkError(ZkCode.BAD_VERSION, path, `BAD_VERSION ${path}`);
    node.data = data;
    node.version++;
    return { version: node.version, czxid: 0n, ephemeralOwner: 0n, numChildren: 0, ctimeMs: 0 };
  }

  /** The JSON a znode holds. */
  json(path: string): unknown {
    const node = this.nodes.get(path);
    return node === undefined ? undefined : JSON.parse(node.data.toString('utf8'));
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
