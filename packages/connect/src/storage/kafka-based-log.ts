import { Admin, Consumer, type ConsumerRecord, ErrorCode, KafkaError, Producer } from '@samsa/client';
import { ConfigException } from '../config/config-def.js';
import { getLogger } from '../runtime/loggers.js';

const log = getLogger('org.apache.kafka.connect.util.KafkaBasedLog');

/** How an internal topic is created when missing (Kafka's `*.storage.*` settings). */
export interface TopicSettings {
  readonly name: string;
  /** -1: the broker's `num.partitions`. */
  readonly partitions: number;
  /** -1: the broker's `default.replication.factor`. */
  readonly replicationFactor: number;
  /** The worker setting naming the topic (`config.storage.topic`…), for error messages. */
  readonly setting: string;
  /** What the topic holds, as Kafka's messages say it ("connector configurations"…). */
  readonly purpose: string;
}

export interface KafkaBasedLogOptions {
  readonly topic: TopicSettings;
  /** Client settings (bootstrap, security) shared by the log's admin, producer and consumer. */
  readonly clientProps: Readonly<Record<string, string>>;
  readonly clientIdPrefix: string;
  /** Called in offset order for every record of the topic, from the beginning. */
  readonly consume: (record: ConsumerRecord<Buffer, Buffer>) => void;
  /**
   * `isolation.level=read_committed` (exactly-once source support): records of open or aborted
   * transactions are not consumed, and `readToEnd` waits for the last stable offset.
   */
  readonly readCommitted?: boolean;
}

/**
 * A compacted topic read as a log (Kafka's KafkaBasedLog): at start the topic is created if
 * missing (`cleanup.policy=compact`), a consumer with no group is assigned every partition from
 * the beginning, and everything up to the end offsets is replayed through `consume` before
 * `start` resolves; then it keeps tailing. `readToEnd()` waits until what was at the end when it
 * was called has been consumed, which is how a worker knows it has seen its own writes.
 *
 * Only this class's poll loop calls `consume`, so the stores above it need no locking.
 */
export class KafkaBasedLog {
  private readonly consumer: Consumer<Buffer, Buffer>;
  private readonly producer: Producer<Buffer, Buffer>;
  /** Next offset to consume, per partition. */
  private readonly positions = new Map<number, bigint>();
  private partitions: number[] = [];
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private waiters: { target: Map<number, bigint>; resolve: () => void }[] = [];

  constructor(private readonly options: KafkaBasedLogOptions) {
    const { clientProps, clientIdPrefix } = options;
    this.consumer = new Consumer<Buffer, Buffer>({
      ...clientProps,
      'client.id': `${clientIdPrefix}-consumer`,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      ...(options.readCommitted === true ? { 'isolation.level': 'read_committed' } : {}),
      keyDeserializer: 'buffer',
      valueDeserializer: 'buffer',
    });
    this.producer = new Producer<Buffer, Buffer>({
      ...clientProps,
      'client.id': `${clientIdPrefix}-producer`,
      acks: 'all',
      keySerializer: 'buffer',
      valueSerializer: 'buffer',
    });
  }

  get topic(): string {
    return this.options.topic.name;
  }

  async start(): Promise<void> {
    await this.createTopicIfMissing();
    const admin = new Admin({ ...this.options.clientProps });
    try {
      const [description] = await admin.describeTopics([this.topic]);
      this.partitions = description!.partitions.map((p) => p.partition).sort((a, b) => a - b);
      await this.verifyCompacted(admin);
    } finally {
      await admin.close().catch(() => {});
    }
    const assigned = this.partitions.map((partition) => ({ topic: this.topic, partition }));
    this.consumer.assign(assigned);
    this.consumer.seekToBeginning(assigned);
    for (const p of this.partitions) this.positions.set(p, 0n);
    this.loop = this.pollLoop();
    await this.readToEnd();
  }

  private async createTopicIfMissing(): Promise<void> {
    const { name, partitions, replicationFactor } = this.options.topic;
    const admin = new Admin({ ...this.options.clientProps });
    try {
      await admin.createTopics([
        { name, numPartitions: partitions, replicationFactor, configs: { 'cleanup.policy': 'compact' } },
      ]);
      log.info(`connect: created topic ${name} (compacted)`);
    } catch (error) {
      if (!(error instanceof KafkaError && error.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS)) throw error;
    } finally {
      await admin.close().catch(() => {});
    }
  }

  /**
   * An existing topic that is not compacted would lose records: refused with Kafka's message
   * (TopicAdmin's check). A cleanup policy the worker cannot read is not held against it.
   */
  private async verifyCompacted(admin: Admin): Promise<void> {
    const { name, setting, purpose } = this.options.topic;
    let policy: string | null | undefined;
    try {
      const [described] = await admin.describeConfigs([{ type: 'topic', name, keys: ['cleanup.policy'] }]);
      policy = described?.configs.find((c) => c.name === 'cleanup.policy')?.value;
    } catch {
      return;
    }
    if (policy === null || policy === undefined) return;
    const policies = policy.split(',').map((p) => p.trim().toLowerCase());
    if (policies.length === 1 && policies[0] === 'compact') return;
    throw new ConfigException(
      `Topic '${name}' supplied via the '${setting}' property is required to have 'cleanup.policy=compact' to guarantee consistency and durability of ${purpose}, but found the topic currently has 'cleanup.policy=${policy}'. Continuing would likely result in eventually losing ${purpose} and problems restarting this Connect cluster in the future. Change the '${setting}' property in the Connect worker configurations to use a topic with 'cleanup.policy=compact'.`,
    );
  }

  /** Partitions of the topic, once started. */
  get partitionCount(): number {
    return this.partitions.length;
  }

  private async pollLoop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let records: ConsumerRecord<Buffer, Buffer>[];
      try {
        records = await this.consumer.poll({ timeoutMs: 200, signal: this.abort.signal });
      } catch (error) {
        if (this.abort.signal.aborted) return;
        log.error(`connect: reading ${this.topic} failed, retrying:`, error);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      for (const record of records) {
        this.positions.set(record.partition, record.offset + 1n);
        try {
          this.options.consume(record);
        } catch (error) {
          // One bad record (written by a newer or foreign worker) must not stop the log.
          log.error(`connect: skipping unreadable record ${this.topic}-${record.partition}@${record.offset}:`, error);
        }
      }
      await this.updatePositions(records.length === 0);
      this.wakeWaiters();
    }
  }

  /**
   * Positions move past control records and compacted gaps without a record to show it: when a
   * poll is empty, the consumer's position is the truth.
   */
  private async updatePositions(idle: boolean): Promise<void> {
    if (!idle || this.waiters.length === 0) return;
    for (const p of this.partitions) {
      try {
        const position = await this.consumer.position({ topic: this.topic, partition: p });
        if (position > (this.positions.get(p) ?? 0n)) this.positions.set(p, position);
      } catch {
        // retried at the next idle poll
      }
    }
  }

  private wakeWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      for (const [p, end] of w.target) if ((this.positions.get(p) ?? 0n) < end) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once every record written before the call has been consumed. */
  async readToEnd(): Promise<void> {
    const ends = await this.consumer.endOffsets(this.partitions.map((partition) => ({ topic: this.topic, partition })));
    const target = new Map(ends.map((e) => [e.partition, e.offset]));
    await new Promise<void>((resolve) => {
      this.waiters.push({ target, resolve });
      this.wakeWaiters();
    });
  }

  /** Appends a record (null value: a tombstone) and waits for the cluster to acknowledge it. */
  async send(key: Buffer, value: Buffer | null, partition?: number): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      key,
      value,
      ...(partition === undefined ? {} : { partition }),
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop?.catch(() => {});
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    await this.producer.close().catch(() => {});
    await this.consumer.close().catch(() => {});
  }
}
