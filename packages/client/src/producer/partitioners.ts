import type { Cluster } from '../metadata/cluster.js';
import { murmur2Partition } from './murmur2.js';

/**
 * What a partitioner sees about one record. Key and value are the serialized bytes. The object is
 * valid only during the call: the producer refills one per record.
 */
export interface PartitionerInput {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly numPartitions: number;
  /** Partitions that currently have a leader (may be all of them). */
  readonly availablePartitions: readonly number[];
}

/**
 * The producer's one PartitionerInput, refilled per record. The available partitions (an array
 * built from metadata) are computed only if a partitioner asks: the sticky partitioner does once
 * per batch, not per record.
 */
export class PartitionerInputSlot implements PartitionerInput {
  topic = '';
  key: Uint8Array | null = null;
  value: Uint8Array | null = null;
  numPartitions = 0;
  private available: readonly number[] | undefined;

  constructor(private readonly cluster: Cluster) {}

  fill(topic: string, key: Uint8Array | null, value: Uint8Array | null, numPartitions: number): this {
    this.topic = topic;
    this.key = key;
    this.value = value;
    this.numPartitions = numPartitions;
    this.available = undefined;
    return this;
  }

  get availablePartitions(): readonly number[] {
    this.available ??= availablePartitionsOf(this.cluster, this.topic);
    return this.available;
  }
}

/** A custom partitioner: returns the partition for the record. */
export type PartitionerFunction = (input: PartitionerInput) => number;

/**
 * Partitioner state per producer. `partition` picks a partition; `onNewBatch` is called when the
 * sticky partition's batch was closed (full or sent), so null-key records move on — KIP-480.
 */
export interface Partitioner {
  partition(input: PartitionerInput): number;
  onNewBatch?(topic: string, previousPartition: number, input: PartitionerInput): void;
}

function randomAvailable(input: PartitionerInput, avoid = -1): number {
  const available = input.availablePartitions.length > 0 ? input.availablePartitions : undefined;
  const count = available?.length ?? input.numPartitions;
  if (count === 1) return available?.[0] ?? 0;
  for (;;) {
    const i = Math.floor(Math.random() * count);
    const p = available === undefined ? i : (available[i] as number);
    if (p !== avoid) return p;
  }
}

/**
 * Kafka's default partitioning: a keyed record goes to `toPositive(murmur2(key)) % numPartitions`
 * over all partitions (not only available ones, so a key always maps to the same partition);
 * records without a key stick to one partition until its batch is closed, then move to another
 * available partition at random (the sticky partitioner, KIP-480). `ignoreKeys` applies the
 * sticky choice to keyed records too (`partitioner.ignore.keys`).
 */
export class DefaultPartitioner implements Partitioner {
  private readonly sticky = new Map<string, number>();

  constructor(private readonly ignoreKeys = false) {}

  partition(input: PartitionerInput): number {
    if (input.key !== null && !this.ignoreKeys) return murmur2Partition(input.key, input.numPartitions);
    const current = this.sticky.get(input.topic);
    if (current !== undefined && current < input.numPartitions) return current;
    const chosen = randomAvailable(input);
    this.sticky.set(input.topic, chosen);
    return chosen;
  }

  onNewBatch(topic: string, previousPartition: number, input: PartitionerInput): void {
    if (this.sticky.get(topic) !== previousPartition) return;
    this.sticky.set(topic, randomAvailable(input, previousPartition));
  }
}

/** murmur2 for every record; null keys hash as an empty key (all go to one partition). */
export class Murmur2Partitioner implements Partitioner {
  partition(input: PartitionerInput): number {
    return murmur2Partition(input.key ?? EMPTY, input.numPartitions);
  }
}
const EMPTY = new Uint8Array(0);

/** Java's RoundRobinPartitioner: each record of a topic to the next available partition. */
export class RoundRobinPartitioner implements Partitioner {
  private readonly counters = new Map<string, number>();

  partition(input: PartitionerInput): number {
    const next = (this.counters.get(input.topic) ?? -1) + 1;
    this.counters.set(input.topic, next & 0x7fffffff);
    const available = input.availablePartitions;
    if (available.length > 0) return available[next % available.length] as number;
    return next % input.numPartitions;
  }
}

/** Wraps a user function. */
export class FunctionPartitioner implements Partitioner {
  constructor(private readonly fn: PartitionerFunction) {}
  partition(input: PartitionerInput): number {
    return this.fn(input);
  }
}

export function createPartitioner(spec: string | PartitionerFunction, ignoreKeys: boolean): Partitioner {
  if (typeof spec === 'function') return new FunctionPartitioner(spec);
  switch (spec) {
    case 'murmur2':
      return new Murmur2Partitioner();
    case 'round-robin':
      return new RoundRobinPartitioner();
    case 'uniform-sticky':
      return new DefaultPartitioner(true);
    default:
      return new DefaultPartitioner(ignoreKeys);
  }
}

/** Partitions of a topic with a leader, from the cluster metadata. */
export function availablePartitionsOf(cluster: Cluster, topic: string): number[] {
  const info = cluster.topics.get(topic);
  if (info === undefined) return [];
  const out: number[] = [];
  for (const p of info.partitions) if (p !== undefined && p.leaderId >= 0) out.push(p.partition);
  return out;
}
