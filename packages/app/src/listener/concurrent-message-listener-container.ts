import { EventEmitter } from 'node:events';
import type { TopicPartition } from '@samsa/client';
import type { ContainerOptions, TopicPartitionOffset } from './container-options.js';
import { KafkaMessageListenerContainer } from './kafka-message-listener-container.js';
import { emptyMetrics, type ListenerMetrics } from './listener-metrics.js';

export type ConcurrentContainerOptions<K, V> = ContainerOptions<K, V> & {
  /** Consumers (group members) to run; Spring's `concurrency`. */
  readonly concurrency?: number;
};

/**
 * `concurrency` KafkaMessageListenerContainers with the same settings (Spring's
 * ConcurrentMessageListenerContainer): each child has its own consumer and joins the group as
 * its own member, so the group spreads partitions over them; a partition is only ever handled
 * by one child at a time, in order. Explicit `topicPartitions` are dealt out round-robin.
 *
 * A child stopped by an error (an error handler that stops its container) does not stop the
 * others: it leaves the group and they take its partitions over. `stopped` is emitted with the
 * child's id and error; `childStopped` too.
 */
export class ConcurrentMessageListenerContainer<K = Buffer, V = Buffer> extends EventEmitter {
  readonly id: string;
  readonly concurrency: number;
  readonly children: KafkaMessageListenerContainer<K, V>[];

  constructor(options: ConcurrentContainerOptions<K, V>) {
    super();
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`listener ${options.id}: concurrency must be a positive integer, was ${concurrency}`);
    }
    this.id = options.id;
    const explicit = options.topicPartitions;
    this.concurrency = explicit === undefined ? concurrency : Math.min(concurrency, Math.max(1, explicit.length));
    const clientId =
      options.clientIdPrefix ?? (options.consumerConfig['client.id'] as string | undefined) ?? options.id;
    this.children = [];
    for (let i = 0; i < this.concurrency; i++) {
      const share: TopicPartitionOffset[] | undefined = explicit?.filter((_, j) => j % this.concurrency === i);
      const child = new KafkaMessageListenerContainer<K, V>({
        ...options,
        id: this.concurrency === 1 ? options.id : `${options.id}-${i}`,
        groupId: options.groupId ?? (options.consumerConfig['group.id'] as string | undefined) ?? options.id,
        clientIdPrefix: `${clientId}-${i}`,
        ...(share === undefined ? {} : { topicPartitions: share }),
      });
      child.on('stopped', (error?: Error) => this.emit('childStopped', child.id, error));
      child.on('idle', (event: unknown) => this.emit('idle', event));
      child.on('partitionsAssigned', (tps: TopicPartition[]) => this.emit('partitionsAssigned', tps, child.id));
      child.on('partitionsRevoked', (tps: TopicPartition[]) => this.emit('partitionsRevoked', tps, child.id));
      this.children.push(child);
    }
  }

  get isRunning(): boolean {
    return this.children.some((c) => c.isRunning);
  }

  async start(): Promise<void> {
    await Promise.all(this.children.map((c) => c.start()));
    this.emit('started');
  }

  /** Stops every child (each finishes its records, commits and leaves the group). */
  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
    this.emit('stopped');
  }

  pause(): void {
    for (const c of this.children) c.pause();
  }

  resume(): void {
    for (const c of this.children) c.resume();
  }

  get isPauseRequested(): boolean {
    return this.children.every((c) => c.isPauseRequested);
  }

  pausePartition(tp: TopicPartition): void {
    for (const c of this.children) c.pausePartition(tp);
  }

  resumePartition(tp: TopicPartition): void {
    for (const c of this.children) c.resumePartition(tp);
  }

  assignment(): TopicPartition[] {
    return this.children.flatMap((c) => c.assignment());
  }

  metrics(): ListenerMetrics {
    const total = emptyMetrics();
    for (const c of this.children) {
      const m = c.metrics();
      for (const k of Object.keys(total) as (keyof ListenerMetrics)[]) total[k] += m[k];
    }
    return total;
  }
}
