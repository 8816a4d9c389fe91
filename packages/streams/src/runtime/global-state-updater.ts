import { join } from 'node:path';
import { type Admin, Consumer } from '@samsa/client';
import { StreamTask } from '../processor/stream-task.js';
import { TaskId } from '../processor/task-id.js';
import type { Topology } from '../processor/topology.js';
import type { Subtopology } from '../processor/topology-nodes.js';
import type { StateStore } from '../state/state-store.js';
import type { StreamsConfig } from '../streams-config.js';

/**
 * Kafka Streams' GlobalStreamThread, run inside the stream loop: the global stores' sources read
 * every partition of their topics (no group, manual assignment). `start()` replays the topics
 * from their beginning to the end offsets found then, before any task processes (Java restores
 * global stores before stream threads start); `poll()` then applies new records between the
 * stream thread's polls. The stores are rebuilt from the topic on every start (no global
 * `.checkpoint` is kept).
 */
export class GlobalStateUpdater {
  private readonly tasks: StreamTask[] = [];
  private consumer: Consumer<Buffer, Buffer> | undefined;
  private readonly taskByTopic = new Map<string, StreamTask>();

  constructor(
    private readonly topology: Topology,
    private readonly config: StreamsConfig,
    private readonly globalSubs: readonly Subtopology[],
  ) {}

  /** The global store named `name`, once started. */
  store(name: string): StateStore | undefined {
    for (const task of this.tasks) {
      const store = task.stores.get(name);
      if (store !== undefined) return store;
    }
    return undefined;
  }

  async start(admin: Admin, clientConfig: { [key: string]: unknown }, signal: AbortSignal): Promise<void> {
    if (this.globalSubs.length === 0) return;
    const appId = this.config.applicationId;
    const dir = join(this.config.stateDir, appId, 'global');
    for (const sub of this.globalSubs) {
      const task = new StreamTask(
        new TaskId(sub.id, -1),
        this.topology,
        sub,
        {
          applicationId: appId,
          defaultKeySerde: this.config.defaultKeySerde,
          defaultValueSerde: this.config.defaultValueSerde,
          taskDir: dir,
          wallClock: () => Date.now(),
        },
        {
          send: () => {
            throw new Error('a global store processor cannot forward to a sink');
          },
          partitionsFor: () => undefined,
        },
      );
      task.openStores(new Set(task.stores.keys()));
      task.initializeTopology();
      this.tasks.push(task);
      for (const topic of sub.sourceTopics) this.taskByTopic.set(topic, task);
    }
    const topics = [...this.taskByTopic.keys()];
    const described = await admin.describeTopics(topics);
    const partitions = described.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
    this.consumer = new Consumer<Buffer, Buffer>({
      ...clientConfig,
      'client.id': `${appId}-global-consumer`,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
    } as never);
    this.consumer.assign(partitions);
    this.consumer.seekToBeginning(partitions);
    const ends = new Map<string, bigint>();
    for (const e of await this.consumer.endOffsets(partitions)) ends.set(`${e.topic}:${e.partition}`, e.offset);
    const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([k]) => k));
    while (pending.size > 0) {
      if (signal.aborted) throw new Error('global store restoration aborted: the application is closing');
      await this.poll(200);
      for (const key of [...pending]) {
        const at = key.lastIndexOf(':');
        const position = await this.consumer.position({
          topic: key.slice(0, at),
          partition: Number(key.slice(at + 1)),
        });
        if (position >= (ends.get(key) as bigint)) pending.delete(key);
      }
    }
    for (const task of this.tasks) task.flush();
  }

  /** Applies what arrived on the global topics since the last poll. */
  async poll(timeoutMs = 0): Promise<void> {
    if (this.consumer === undefined) return;
    for (const r of await this.consumer.poll({ timeoutMs })) {
      this.taskByTopic.get(r.topic)?.process(r.topic, r.partition, r.offset, r.key, r.value, r.timestamp, r.headers);
    }
  }

  flush(): void {
    for (const task of this.tasks) task.flush();
  }

  async close(): Promise<void> {
    for (const task of this.tasks) task.close();
    this.tasks.length = 0;
    await this.consumer?.close();
    this.consumer = undefined;
  }
}
