import type { KafkaZkClient, ZkStat } from '../../../../src/zk/kafka-zk-client.js';
import { ZkCode, ZkError } from '../../../../src/zk/kafka-zk-client.js';
import { InMemoryZk } from '../../../support/in-memory-zk.js';

/**
 * InMemoryZk with what the ACL store also uses: conditional deletes, `exists`, and child watches.
 * Each `client()` is one broker's session with its own watch handlers; a child created under a
 * watched path runs every session's handler for that path, on a later tick.
 */
export class WatchingZk extends InMemoryZk {
  private readonly sessions: Map<string, () => void>[] = [];

  override client(): KafkaZkClient {
    const handlers = new Map<string, () => void>();
    this.sessions.push(handlers);
    const session = {
      getData: (path: string) => this.getData(path),
      getChildren: (path: string) => this.getChildren(path),
      exists: (path: string) => this.exists(path),
      create: (path: string, data: Buffer | null, mode: string) => this.create(path, data, mode),
      createRecursive: (path: string) => this.createRecursive(path),
      setData: (path: string, data: Buffer, version?: number) => this.setData(path, data, version),
      delete: (path: string, version?: number) => this.delete(path, version),
      registerChildChangeHandler: (path: string, handler: () => void) => handlers.set(path, handler),
      unregisterChildChangeHandler: (path: string) => handlers.delete(path),
      onNewSession: () => () => {},
      close: () => {},
    };
    return session as unknown as KafkaZkClient;
  }

  override async create(path: string, data: Buffer | null, mode: string): Promise<string> {
    const created = await super.create(path, data, mode);
    const parent = created.slice(0, created.lastIndexOf('/'));
    for (const handlers of this.sessions) {
      const handler = handlers.get(parent);
      if (handler !== undefined) setImmediate(handler);
    }
    return created;
  }

  async delete(path: string, version = -1): Promise<void> {
    await this.beforeWrite?.(path);
    const node = this.nodes.get(path);
    if (node === undefined) throw new ZkError(ZkCode.NO_NODE, path, `NO_NODE ${path}`);
    if (version !== -1 && version !== node.version) throw new ZkError(ZkCode.BAD_VERSION, path, `BAD_VERSION ${path}`);
    this.nodes.delete(path);
  }

  async exists(path: string): Promise<ZkStat | undefined> {
    return (await this.getData(path))?.stat;
  }
}
