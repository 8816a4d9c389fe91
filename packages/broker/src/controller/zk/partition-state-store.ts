import type { Logger } from '../../logger.js';
import { isZkError, type KafkaZkClient, ZkCode, type ZkOp } from '../../zk/kafka-zk-client.js';
import {
  ControllerEpochZNode,
  type LeaderIsrAndControllerEpoch,
  TopicPartitionStateZNode,
  TopicPartitionsZNode,
  TopicPartitionZNode,
} from '../../zk/zk-data.js';
import { type ControllerContext, partitionKey } from './controller-context.js';
import type { PartitionRef } from './controller-requests.js';

/** Thrown when a write fails because another broker became controller (the epoch fence). */
export class ControllerMovedError extends Error {
  constructor() {
    super('the controller moved to another broker');
    this.name = 'ControllerMovedError';
  }
}

/** A partition's next state given its current one; undefined leaves it as it is. */
export type StateChange = (
  current: LeaderIsrAndControllerEpoch,
  partition: PartitionRef,
  assignment: readonly number[],
) => Omit<LeaderIsrAndControllerEpoch, 'zkVersion' | 'controllerEpoch'> | undefined;

/**
 * The controller's writes to ZooKeeper, each behind the epoch fence: a transaction that first
 * checks the version of `/controller_epoch` this controller set when it won. A deposed controller
 * fails that check (ControllerMovedError) and writes nothing. Keeps the context's partition states
 * in step with what was written.
 */
export class PartitionStateStore {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly zk: KafkaZkClient,
    private readonly logger: Logger,
  ) {}

  /** Runs a transaction behind the epoch fence; a failed fence means the controller moved. */
  async fencedMulti(ops: readonly ZkOp[]): Promise<void> {
    const fence: ZkOp = { op: 'check', path: ControllerEpochZNode.path, version: this.ctx.epochZkVersion };
    try {
      await this.zk.multi([fence, ...ops]);
    } catch (err) {
      const failedOp = (err as { failedOp?: number }).failedOp;
      if ((isZkError(err, ZkCode.BAD_VERSION) || isZkError(err, ZkCode.NO_NODE)) && failedOp === 0) {
        throw new ControllerMovedError();
      }
      throw err;
    }
  }

  async read(topic: string, partition: number): Promise<LeaderIsrAndControllerEpoch | undefined> {
    const path = TopicPartitionStateZNode.path(topic, partition);
    const found = await this.zk.getData(path);
    return found === undefined ? undefined : TopicPartitionStateZNode.decode(found.data, found.stat.version, path);
  }

  /** Reads a partition's state into the context (after someone else wrote it). */
  async refresh(topic: string, partition: number): Promise<LeaderIsrAndControllerEpoch | undefined> {
    const state = await this.read(topic, partition);
    if (state !== undefined) this.ctx.states.set(partitionKey(topic, partition), state);
    return state;
  }

  /**
   * Applies `change` to each partition's state and writes the results, conditionally on the
   * state's version; a state changed under us (a leader's ISR update through the old path) is read
   * again and the change re-applied. Returns the partitions whose state changed.
   */
  async update(partitions: readonly PartitionRef[], change: StateChange): Promise<PartitionRef[]> {
    const changed: PartitionRef[] = [];
    for (const p of partitions) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = this.ctx.stateOf(p.topic, p.partition);
        if (current === undefined) break;
        const next = change(current, p, this.ctx.replicasOf(p.topic, p.partition));
        if (next === undefined) break;
        const path = TopicPartitionStateZNode.path(p.topic, p.partition);
        const written = { ...next, controllerEpoch: this.ctx.epoch };
        try {
          await this.fencedMulti([
            { op: 'setData', path, data: TopicPartitionStateZNode.encode(written), version: current.zkVersion },
          ]);
        } catch (err) {
          if (!isZkError(err, ZkCode.BAD_VERSION)) throw err;
          await this.refresh(p.topic, p.partition);
          continue;
        }
        this.ctx.states.set(partitionKey(p.topic, p.partition), { ...written, zkVersion: current.zkVersion + 1 });
        changed.push(p);
        break;
      }
    }
    return changed;
  }

  /** Creates a new partition's state znode (and its parents); an existing one is read instead. */
  async create(
    p: PartitionRef,
    state: Omit<LeaderIsrAndControllerEpoch, 'zkVersion' | 'controllerEpoch'>,
  ): Promise<void> {
    const written = { ...state, controllerEpoch: this.ctx.epoch };
    await this.zk.createRecursive(TopicPartitionsZNode.path(p.topic));
    await this.zk.createRecursive(TopicPartitionZNode.path(p.topic, p.partition));
    try {
      await this.fencedMulti([
        {
          op: 'create',
          path: TopicPartitionStateZNode.path(p.topic, p.partition),
          data: TopicPartitionStateZNode.encode(written),
        },
      ]);
      this.ctx.states.set(partitionKey(p.topic, p.partition), { ...written, zkVersion: 0 });
    } catch (err) {
      if (!isZkError(err, ZkCode.NODE_EXISTS)) throw err;
      this.logger.info(`state of ${p.topic}-${p.partition} already exists; using it`);
      await this.refresh(p.topic, p.partition);
    }
  }
}
