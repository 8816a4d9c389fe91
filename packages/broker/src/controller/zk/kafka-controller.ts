import { ErrorCode, randomUuid } from '@samsa/protocol';
import type { BrokerConfig } from '../../config/broker-config.js';
import type { Logger } from '../../logger.js';
import { isZkError, type KafkaZkClient, ZkCode, type ZkOp } from '../../zk/kafka-zk-client.js';
import {
  BrokerIdsZNode,
  BrokerIdZNode,
  ConfigEntityZNode,
  ConfigType,
  ControllerEpochZNode,
  ControllerZNode,
  DeleteTopicsZNode,
  IsrChangeNotificationZNode,
  type LeaderIsrAndControllerEpoch,
  NO_LEADER,
  PreferredReplicaElectionZNode,
  TopicPartitionStateZNode,
  TopicPartitionsZNode,
  TopicPartitionZNode,
  TopicsZNode,
  TopicZNode,
} from '../../zk/zk-data.js';
import type { ElectionOutcome } from '../controller.js';
import { ControllerChannelManager } from './controller-channel-manager.js';
import { ControllerContext, type LiveBroker, partitionKey } from './controller-context.js';
import {
  ApiKey,
  LEADER_AND_ISR_VERSION,
  leaderAndIsrRequest,
  type PartitionRef,
  STOP_REPLICA_VERSION,
  stopReplicaRequest,
  UPDATE_METADATA_VERSION,
  updateMetadataRequest,
} from './controller-requests.js';
import {
  controlledShutdownLeaderElection,
  type ElectionResult,
  initialLeaderAndIsr,
  offlinePartitionLeaderElection,
  preferredReplicaLeaderElection,
} from './partition-leader-election.js';

/** Thrown when a write fails because another broker became controller (the epoch fence). */
export class ControllerMovedError extends Error {
  constructor() {
    super('the controller moved to another broker');
    this.name = 'ControllerMovedError';
  }
}

export interface KafkaControllerOptions {
  readonly brokerId: number;
  readonly config: BrokerConfig;
  readonly zk: KafkaZkClient;
  /** Topic config overrides (for `unclean.leader.election.enable`), read from ZooKeeper. */
  readonly topicOverrides: (topic: string) => Promise<Readonly<Record<string, string>>>;
  readonly logger: Logger;
}

/** One partition of an AlterPartition request. */
export interface IsrChangeProposal {
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly newIsr: readonly number[];
  readonly partitionEpoch: number;
}

/** The controller's answer for one partition of an AlterPartition request. */
export interface IsrChangeResult {
  readonly errorCode: number;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly partitionEpoch: number;
}

/** Kafka's ElectLeaders election types. */
export const ElectionType = { PREFERRED: 0, UNCLEAN: 1 } as const;

/** A partition's next state given its current one; undefined leaves it as it is. */
type StateChange = (
  current: LeaderIsrAndControllerEpoch,
  partition: PartitionRef,
  assignment: readonly number[],
) => Omit<LeaderIsrAndControllerEpoch, 'zkVersion' | 'controllerEpoch'> | undefined;

/**
 * The cluster's controller in ZooKeeper mode (Kafka's KafkaController): every broker runs one; the
 * one that creates the ephemeral `/controller` znode (bumping `/controller_epoch` in the same
 * transaction) is active until its session ends. The active controller watches broker
 * registrations, topics, deletions and election requests in ZooKeeper, decides partition
 * leadership, writes it to the partition state znodes, and tells the brokers with LeaderAndIsr,
 * UpdateMetadata and StopReplica.
 *
 * Concurrency: every change — a watch firing, an API call, a timer — is an event on one queue,
 * processed to completion before the next (Kafka's ControllerEventManager), so the context is
 * never seen half-updated.
 *
 * Fencing: each controller write is a ZooKeeper transaction that first checks the version of
 * `/controller_epoch` this controller set when it won. A deposed controller — paused past its
 * session, say — fails that check on its first write, gives up the role, and nothing it decided
 * after losing it reaches ZooKeeper. Brokers also ignore requests from an older controller epoch.
 */
export class KafkaController {
  private readonly ctx = new ControllerContext();
  private channels: ControllerChannelManager | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private active = false;
  private stopped = false;
  private rebalanceTimer: NodeJS.Timeout | undefined;
  /** The broker id of the active controller as last read from ZooKeeper; -1 if none. */
  activeControllerId = -1;

  constructor(private readonly options: KafkaControllerOptions) {}

  get isActive(): boolean {
    return this.active;
  }

  get epoch(): number {
    return this.ctx.epoch;
  }

  private get zk(): KafkaZkClient {
    return this.options.zk;
  }

  private get brokerId(): number {
    return this.options.brokerId;
  }

  private get logger(): Logger {
    return this.options.logger;
  }

  /** Starts watching `/controller` and takes part in the first election. */
  async startup(): Promise<void> {
    this.zk.registerDataChangeHandler(ControllerZNode.path, {
      onCreate: () => void this.enqueue('ControllerChange', () => this.onControllerChange()),
      onChange: () => void this.enqueue('ControllerChange', () => this.onControllerChange()),
      onDelete: () => void this.enqueue('Reelect', () => this.reelect()),
    });
    await this.enqueue('Startup', () => this.elect());
  }

  /** The session expired: whatever this broker decided as controller is void from now on. */
  onSessionExpired(): void {
    void this.enqueue('Expire', () => this.resign());
  }

  /** A new session is up (after the broker re-registered): take part in an election again. */
  onNewSession(): Promise<void> {
    return this.enqueue('Reelect', () => this.reelect());
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.enqueue('Shutdown', () => this.resign());
    this.zk.unregisterDataChangeHandler(ControllerZNode.path);
  }

  /** Runs `work` after every event queued before it; a lost controller role resigns and re-elects. */
  private enqueue<T>(name: string, work: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        return await work();
      } catch (err) {
        if (err instanceof ControllerMovedError) {
          this.logger.warn(`[Controller id=${this.brokerId}] ${name}: ${err.message}; resigning`);
          await this.resign();
          await this.elect().catch((e: unknown) => this.logger.error({ err: e }, 'controller election failed'));
        } else {
          this.logger.error({ err }, `[Controller id=${this.brokerId}] error processing ${name}`);
        }
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Queues a watch-triggered event whose failure is logged, not thrown at the watcher. */
  private trigger(name: string, work: () => Promise<void>): void {
    if (this.stopped) return;
    this.enqueue(name, work).catch(() => undefined);
  }

  // --- election and failover -------------------------------------------------------------------

  private async elect(): Promise<void> {
    if (this.stopped) return;
    const current = await this.zk.getData(ControllerZNode.path, { watch: true });
    if (current !== undefined) {
      this.activeControllerId = ControllerZNode.decode(current.data);
      return;
    }
    let epochData = await this.zk.getData(ControllerEpochZNode.path);
    if (epochData === undefined) {
      try {
        await this.zk.create(ControllerEpochZNode.path, ControllerEpochZNode.encode(0), 'persistent');
      } catch (err) {
        if (!isZkError(err, ZkCode.NODE_EXISTS)) throw err;
      }
      epochData = await this.zk.getData(ControllerEpochZNode.path);
      if (epochData === undefined) throw new Error('/controller_epoch vanished');
    }
    const newEpoch = ControllerEpochZNode.decode(epochData.data) + 1;
    try {
      await this.zk.multi([
        {
          op: 'create',
          path: ControllerZNode.path,
          data: ControllerZNode.encode(this.brokerId, Date.now()),
          ephemeral: true,
        },
        {
          op: 'setData',
          path: ControllerEpochZNode.path,
          data: ControllerEpochZNode.encode(newEpoch),
          version: epochData.stat.version,
        },
      ]);
    } catch (err) {
      if (isZkError(err, ZkCode.NODE_EXISTS) || isZkError(err, ZkCode.BAD_VERSION)) {
        // Another broker won this round.
        const winner = await this.zk.getData(ControllerZNode.path, { watch: true });
        this.activeControllerId = winner === undefined ? -1 : ControllerZNode.decode(winner.data);
        return;
      }
      throw err;
    }
    // Re-arm the watch on our own znode, so that its deletion (session loss) is seen.
    await this.zk.getData(ControllerZNode.path, { watch: true });
    this.ctx.clear();
    this.ctx.epoch = newEpoch;
    this.ctx.epochZkVersion = epochData.stat.version + 1;
    this.activeControllerId = this.brokerId;
    this.active = true;
    this.logger.info(
      `[Controller id=${this.brokerId}] ${this.brokerId} successfully elected as the controller. Epoch incremented to ${newEpoch} and epoch zk version is now ${this.ctx.epochZkVersion}`,
    );
    await this.onControllerFailover();
  }

  private async reelect(): Promise<void> {
    if (this.active) {
      const current = await this.zk.getData(ControllerZNode.path, { watch: true });
      if (current !== undefined && ControllerZNode.decode(current.data) === this.brokerId) return;
      await this.resign();
    }
    await this.elect();
  }

  private async onControllerChange(): Promise<void> {
    const current = await this.zk.getData(ControllerZNode.path, { watch: true });
    this.activeControllerId = current === undefined ? -1 : ControllerZNode.decode(current.data);
    if (this.active && this.activeControllerId !== this.brokerId) await this.resign();
    if (current === undefined) await this.elect();
  }

  private async resign(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.logger.info(`[Controller id=${this.brokerId}] Resigned`);
    if (this.rebalanceTimer !== undefined) clearInterval(this.rebalanceTimer);
    this.rebalanceTimer = undefined;
    for (const path of [
      BrokerIdsZNode.path,
      TopicsZNode.path,
      DeleteTopicsZNode.path,
      IsrChangeNotificationZNode.path,
    ]) {
      this.zk.unregisterChildChangeHandler(path);
    }
    this.zk.unregisterDataChangeHandler(PreferredReplicaElectionZNode.path);
    for (const topic of this.ctx.topics.keys()) this.zk.unregisterDataChangeHandler(TopicZNode.path(topic));
    this.channels?.shutdown();
    this.channels = undefined;
    this.ctx.clear();
  }

  private async onControllerFailover(): Promise<void> {
    const started = Date.now();
    this.zk.registerChildChangeHandler(BrokerIdsZNode.path, () =>
      this.trigger('BrokerChange', () => this.onBrokerChange()),
    );
    this.zk.registerChildChangeHandler(TopicsZNode.path, () => this.trigger('TopicChange', () => this.onTopicChange()));
    this.zk.registerChildChangeHandler(DeleteTopicsZNode.path, () =>
      this.trigger('TopicDeletion', () => this.onTopicDeletion()),
    );
    this.zk.registerChildChangeHandler(IsrChangeNotificationZNode.path, () =>
      this.trigger('IsrChangeNotification', () => this.onIsrChangeNotification()),
    );
    this.zk.registerDataChangeHandler(PreferredReplicaElectionZNode.path, {
      onCreate: () => this.trigger('PreferredReplicaLeaderElection', () => this.onPreferredReplicaElectionZNode()),
    });
    this.channels = new ControllerChannelManager(
      this.brokerId,
      this.options.config.interBrokerListenerName,
      this.options.config.int('controller.socket.timeout.ms'),
      this.logger.child({ component: 'controller-channel' }),
    );

    for (const [id, broker] of await this.readLiveBrokers()) {
      this.ctx.liveBrokers.set(id, broker);
      this.channels.addBroker(broker.info);
    }
    for (const topic of (await this.zk.getChildren(TopicsZNode.path, { watch: true })) ?? [])
      await this.loadTopic(topic);
    const live = [...this.ctx.liveBrokers.keys()];
    this.sendUpdateMetadata(live, [...this.ctx.allPartitions()]);
    // Partitions without a state znode (created while no controller was there) get their first
    // leader; partitions whose leader is gone get a new one.
    const uninitialized = [...this.ctx.allPartitions()].filter(
      (p) => this.ctx.stateOf(p.topic, p.partition) === undefined,
    );
    await this.initializePartitions(uninitialized);
    await this.electOfflinePartitions();
    // Every live replica learns the current state, whatever the previous controller got to send.
    for (const id of live) {
      const hosted = this.ctx
        .partitionsOnBroker(id)
        .filter((p) => this.ctx.stateOf(p.topic, p.partition) !== undefined);
      if (hosted.length > 0) this.sendLeaderAndIsr(id, hosted);
    }
    await this.onTopicDeletion();
    await this.onIsrChangeNotification();
    if ((await this.zk.exists(PreferredReplicaElectionZNode.path, { watch: true })) !== undefined) {
      await this.onPreferredReplicaElectionZNode();
    }
    if (this.options.config.bool('auto.leader.rebalance.enable')) {
      const intervalMs = this.options.config.long('leader.imbalance.check.interval.seconds') * 1000;
      this.rebalanceTimer = setInterval(
        () => this.trigger('AutoPreferredReplicaLeaderElection', () => this.autoLeaderRebalance()),
        intervalMs,
      );
      this.rebalanceTimer.unref();
    }
    this.logger.info(`[Controller id=${this.brokerId}] Controller failover completed in ${Date.now() - started} ms`);
  }

  private async readLiveBrokers(): Promise<Map<number, LiveBroker>> {
    const brokers = new Map<number, LiveBroker>();
    for (const child of (await this.zk.getChildren(BrokerIdsZNode.path, { watch: true })) ?? []) {
      const id = Number(child);
      const found = await this.zk.getData(BrokerIdZNode.path(id));
      if (found === undefined) continue;
      try {
        brokers.set(id, { info: BrokerIdZNode.decode(id, found.data), epoch: found.stat.czxid });
      } catch (err) {
        this.logger.error({ err }, `ignoring the unreadable registration of broker ${id}`);
      }
    }
    return brokers;
  }

  /** Reads a topic's assignment and partition states into the context, watching its assignment. */
  private async loadTopic(topic: string): Promise<{ topic: string; partition: number }[]> {
    this.zk.registerDataChangeHandler(TopicZNode.path(topic), {
      onChange: () => this.trigger('PartitionModifications', () => this.onPartitionModifications(topic)),
    });
    const found = await this.zk.getData(TopicZNode.path(topic), { watch: true });
    if (found === undefined) return [];
    const assignment = TopicZNode.decode(topic, found.data);
    let topicId = assignment.topicId;
    if (topicId === null) {
      // Written by a tool that predates topic IDs: give the topic one, as Kafka's controller does.
      topicId = randomUuid();
      await this.zk.setData(TopicZNode.path(topic), TopicZNode.encode({ ...assignment, topicId }), found.stat.version);
    }
    const previous = this.ctx.topics.get(topic);
    const added: { topic: string; partition: number }[] = [];
    const replicas = new Map<number, readonly number[]>();
    for (const [partition, list] of assignment.partitions) {
      replicas.set(partition, list);
      if (previous?.replicas.has(partition) !== true) added.push({ topic, partition });
    }
    this.ctx.topics.set(topic, { topicId, replicas });
    for (const { partition } of added) {
      const state = await this.readPartitionState(topic, partition);
      if (state !== undefined) this.ctx.states.set(partitionKey(topic, partition), state);
    }
    return added;
  }

  private async readPartitionState(topic: string, partition: number): Promise<LeaderIsrAndControllerEpoch | undefined> {
    const path = TopicPartitionStateZNode.path(topic, partition);
    const found = await this.zk.getData(path);
    return found === undefined ? undefined : TopicPartitionStateZNode.decode(found.data, found.stat.version, path);
  }

  // --- writing partition states -------------------------------------------------------------

  /** The fence every controller write starts with. */
  private epochCheck(): ZkOp {
    return { op: 'check', path: ControllerEpochZNode.path, version: this.ctx.epochZkVersion };
  }

  /** Runs a transaction behind the epoch fence; a failed fence means the controller moved. */
  private async fencedMulti(ops: readonly ZkOp[]): Promise<void> {
    try {
      await this.zk.multi([this.epochCheck(), ...ops]);
    } catch (err) {
      if (isZkError(err, ZkCode.BAD_VERSION) && (err as { failedOp?: number }).failedOp === 0)
        throw new ControllerMovedError();
      if (isZkError(err, ZkCode.NO_NODE) && (err as { failedOp?: number }).failedOp === 0)
        throw new ControllerMovedError();
      throw err;
    }
  }

  /**
   * Applies `change` to each partition's state and writes the results, conditionally on the
   * state's version; a state changed under us (by a leader's ISR update) is read again and the
   * change re-applied. Returns the partitions whose state changed.
   */
  private async updatePartitionStates(
    partitions: readonly PartitionRef[],
    change: StateChange,
  ): Promise<PartitionRef[]> {
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
          const fresh = await this.readPartitionState(p.topic, p.partition);
          if (fresh !== undefined) this.ctx.states.set(partitionKey(p.topic, p.partition), fresh);
          continue;
        }
        this.ctx.states.set(partitionKey(p.topic, p.partition), { ...written, zkVersion: current.zkVersion + 1 });
        changed.push(p);
        break;
      }
    }
    return changed;
  }

  /** Creates the state znodes of new partitions: first leader and ISR from the live replicas. */
  private async initializePartitions(partitions: readonly PartitionRef[]): Promise<PartitionRef[]> {
    const initialized: PartitionRef[] = [];
    for (const p of partitions) {
      if (this.ctx.topicsToBeDeleted.has(p.topic)) continue;
      const replicas = this.ctx.replicasOf(p.topic, p.partition);
      const election = initialLeaderAndIsr(replicas, this.ctx.isLive);
      if (election === undefined) {
        this.logger.error(
          `[Controller id=${this.brokerId}] Cannot start partition ${p.topic}-${p.partition}: none of its replicas [${replicas.join(',')}] is alive`,
        );
        continue;
      }
      const state = { leader: election.leader, leaderEpoch: 0, isr: election.isr, controllerEpoch: this.ctx.epoch };
      await this.zk.createRecursive(TopicPartitionsZNode.path(p.topic));
      await this.zk.createRecursive(TopicPartitionZNode.path(p.topic, p.partition));
      try {
        await this.fencedMulti([
          {
            op: 'create',
            path: TopicPartitionStateZNode.path(p.topic, p.partition),
            data: TopicPartitionStateZNode.encode(state),
          },
        ]);
        this.ctx.states.set(partitionKey(p.topic, p.partition), { ...state, zkVersion: 0 });
      } catch (err) {
        if (!isZkError(err, ZkCode.NODE_EXISTS)) throw err;
        const existing = await this.readPartitionState(p.topic, p.partition);
        if (existing !== undefined) this.ctx.states.set(partitionKey(p.topic, p.partition), existing);
      }
      initialized.push(p);
    }
    if (initialized.length === 0) return initialized;
    this.sendLeaderAndIsrToReplicas(initialized.map((p) => ({ ...p, isNew: true })));
    this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], initialized);
    return initialized;
  }

  /** New leaders for partitions whose leader is not live (Kafka's OfflinePartition → OnlinePartition). */
  private async electOfflinePartitions(): Promise<void> {
    const offline = [...this.ctx.allPartitions()].filter((p) => {
      const state = this.ctx.stateOf(p.topic, p.partition);
      return state !== undefined && !this.ctx.topicsToBeDeleted.has(p.topic) && !this.ctx.isLive(state.leader);
    });
    if (offline.length === 0) return;
    const unclean = new Map<string, boolean>();
    for (const topic of new Set(offline.map((p) => p.topic))) unclean.set(topic, await this.uncleanEnabled(topic));
    const changed = await this.updatePartitionStates(offline, (current, p, assignment) => {
      const election = offlinePartitionLeaderElection(
        assignment,
        current.isr,
        this.ctx.isLive,
        unclean.get(p.topic) === true,
      );
      if (election === undefined) {
        // No eligible leader: the partition stays offline. Say so in the state once (leader -1),
        // keeping the ISR so that a clean election is possible when its last member returns.
        if (current.leader === NO_LEADER) return undefined;
        this.logger.error(
          `[Controller id=${this.brokerId}] No live replica of ${p.topic}-${p.partition} in the ISR [${current.isr.join(',')}]; the partition is offline` +
            (unclean.get(p.topic) === true ? '' : ' (unclean.leader.election.enable=false)'),
        );
        return { leader: NO_LEADER, leaderEpoch: current.leaderEpoch + 1, isr: current.isr };
      }
      if (election.leader !== current.leader && !current.isr.includes(election.leader)) {
        this.logger.warn(
          `[Controller id=${this.brokerId}] Unclean leader election: ${election.leader} becomes the leader of ${p.topic}-${p.partition} although it was not in the ISR; records it lacks are lost`,
        );
      }
      return { leader: election.leader, leaderEpoch: current.leaderEpoch + 1, isr: election.isr };
    });
    if (changed.length === 0) return;
    this.sendLeaderAndIsrToReplicas(changed);
    this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], changed);
  }

  private async uncleanEnabled(topic: string): Promise<boolean> {
    const override = (await this.options.topicOverrides(topic))['unclean.leader.election.enable'];
    if (override !== undefined) return override.trim().toLowerCase() === 'true';
    return this.options.config.bool('unclean.leader.election.enable');
  }

  // --- requests to brokers -------------------------------------------------------------------

  private sendLeaderAndIsr(brokerId: number, partitions: readonly (PartitionRef & { isNew?: boolean })[]): void {
    if (partitions.length === 0) return;
    this.channels?.send(brokerId, {
      apiKey: ApiKey.LeaderAndIsr,
      version: LEADER_AND_ISR_VERSION,
      body: leaderAndIsrRequest(
        this.ctx,
        this.brokerId,
        brokerId,
        partitions,
        this.options.config.interBrokerListenerName,
      ),
    });
  }

  /** LeaderAndIsr to every live replica of each partition, batched per broker. */
  private sendLeaderAndIsrToReplicas(partitions: readonly (PartitionRef & { isNew?: boolean })[]): void {
    const byBroker = new Map<number, (PartitionRef & { isNew?: boolean })[]>();
    for (const p of partitions) {
      for (const replica of this.ctx.replicasOf(p.topic, p.partition)) {
        if (!this.ctx.isRegistered(replica)) continue;
        let list = byBroker.get(replica);
        if (list === undefined) {
          list = [];
          byBroker.set(replica, list);
        }
        list.push(p);
      }
    }
    for (const [brokerId, list] of byBroker) this.sendLeaderAndIsr(brokerId, list);
  }

  private sendUpdateMetadata(brokerIds: readonly number[], partitions: readonly PartitionRef[]): void {
    for (const brokerId of brokerIds) {
      this.channels?.send(brokerId, {
        apiKey: ApiKey.UpdateMetadata,
        version: UPDATE_METADATA_VERSION,
        body: updateMetadataRequest(this.ctx, this.brokerId, brokerId, partitions),
      });
    }
  }

  private sendStopReplica(
    brokerId: number,
    partitions: readonly PartitionRef[],
    deletePartition: boolean,
    onResponse?: (response: unknown) => void,
  ): void {
    if (partitions.length === 0) return;
    this.channels?.send(brokerId, {
      apiKey: ApiKey.StopReplica,
      version: STOP_REPLICA_VERSION,
      body: stopReplicaRequest(this.ctx, this.brokerId, brokerId, partitions, deletePartition),
      ...(onResponse === undefined ? {} : { onResponse }),
    });
  }

  // --- brokers coming and going --------------------------------------------------------------

  private async onBrokerChange(): Promise<void> {
    if (!this.active) return;
    const current = await this.readLiveBrokers();
    const dead: number[] = [];
    const added: number[] = [];
    for (const [id, broker] of this.ctx.liveBrokers) {
      const now = current.get(id);
      if (now === undefined) dead.push(id);
      else if (now.epoch !== broker.epoch) {
        // Bounced: gone and back between two reads; handled as a failure, then a startup.
        dead.push(id);
        added.push(id);
      }
    }
    for (const id of current.keys()) if (!this.ctx.liveBrokers.has(id)) added.push(id);
    if (dead.length > 0) {
      this.logger.info(`[Controller id=${this.brokerId}] Broker failure callback for ${dead.join(',')}`);
      await this.onBrokerFailure(dead);
    }
    if (added.length > 0) {
      for (const id of added) {
        const broker = current.get(id);
        if (broker === undefined) continue;
        this.ctx.liveBrokers.set(id, broker);
        this.channels?.addBroker(broker.info);
      }
      this.logger.info(`[Controller id=${this.brokerId}] New broker startup callback for ${added.join(',')}`);
      await this.onBrokerStartup(added);
    }
  }

  private async onBrokerFailure(dead: readonly number[]): Promise<void> {
    for (const id of dead) {
      this.ctx.liveBrokers.delete(id);
      this.ctx.shuttingDownBrokers.delete(id);
      this.channels?.removeBroker(id);
    }
    await this.electOfflinePartitions();
    // Followers on the dead brokers leave the ISR (but the last member stays, so that a clean
    // election is still possible when it returns).
    const deadSet = new Set(dead);
    const followers = [...this.ctx.allPartitions()].filter((p) => {
      const state = this.ctx.stateOf(p.topic, p.partition);
      return (
        state !== undefined &&
        !this.ctx.topicsToBeDeleted.has(p.topic) &&
        state.isr.some((r) => deadSet.has(r) && r !== state.leader)
      );
    });
    const shrunk = await this.updatePartitionStates(followers, (current) => {
      const isr = current.isr.filter((r) => !deadSet.has(r));
      if (isr.length === 0 || isr.length === current.isr.length) return undefined;
      return { leader: current.leader, leaderEpoch: current.leaderEpoch + 1, isr };
    });
    this.sendLeaderAndIsrToReplicas(shrunk);
    // Always: the live broker list changed, whatever partitions did.
    this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], shrunk);
  }

  private async onBrokerStartup(added: readonly number[]): Promise<void> {
    const live = [...this.ctx.liveBrokers.keys()];
    const addedSet = new Set(added);
    // New brokers learn everything; the others learn the new broker list.
    this.sendUpdateMetadata(added, [...this.ctx.allPartitions()]);
    this.sendUpdateMetadata(
      live.filter((id) => !addedSet.has(id)),
      [],
    );
    for (const id of added) {
      const hosted = this.ctx
        .partitionsOnBroker(id)
        .filter(
          (p) => this.ctx.stateOf(p.topic, p.partition) !== undefined && !this.ctx.topicsToBeDeleted.has(p.topic),
        );
      this.sendLeaderAndIsr(id, hosted);
    }
    const uninitialized = [...this.ctx.allPartitions()].filter(
      (p) => this.ctx.stateOf(p.topic, p.partition) === undefined,
    );
    await this.initializePartitions(uninitialized);
    await this.electOfflinePartitions();
    await this.resumeDeletions();
  }

  // --- topics --------------------------------------------------------------------------------

  private async onTopicChange(): Promise<void> {
    if (!this.active) return;
    const topics = new Set((await this.zk.getChildren(TopicsZNode.path, { watch: true })) ?? []);
    for (const topic of [...this.ctx.topics.keys()]) {
      if (topics.has(topic)) continue;
      // Removed behind the controller's back (or by a completed deletion): forget it.
      this.forgetTopic(topic);
    }
    const added: PartitionRef[] = [];
    for (const topic of topics) {
      if (this.ctx.topics.has(topic)) continue;
      added.push(...(await this.loadTopic(topic)));
    }
    if (added.length > 0) {
      this.logger.info(
        `[Controller id=${this.brokerId}] New partitions: ${added.map((p) => `${p.topic}-${p.partition}`).join(',')}`,
      );
      await this.initializePartitions(added.filter((p) => this.ctx.stateOf(p.topic, p.partition) === undefined));
    }
  }

  private async onPartitionModifications(topic: string): Promise<void> {
    if (!this.active || !this.ctx.topics.has(topic)) return;
    if (this.ctx.topicsToBeDeleted.has(topic)) return;
    const added = await this.loadTopic(topic);
    if (added.length > 0) {
      this.logger.info(
        `[Controller id=${this.brokerId}] New partitions of ${topic}: ${added.map((p) => p.partition).join(',')}`,
      );
      await this.initializePartitions(added.filter((p) => this.ctx.stateOf(p.topic, p.partition) === undefined));
    }
  }

  private forgetTopic(topic: string): void {
    const state = this.ctx.topics.get(topic);
    for (const partition of state?.replicas.keys() ?? []) this.ctx.states.delete(partitionKey(topic, partition));
    this.ctx.topics.delete(topic);
    this.ctx.topicsToBeDeleted.delete(topic);
    this.ctx.deletedReplicas.delete(topic);
    this.zk.unregisterDataChangeHandler(TopicZNode.path(topic));
  }

  /**
   * `/admin/delete_topics` changed: start deleting the topics queued there (Kafka's
   * TopicDeletionManager). With delete.topic.enable=false the requests are removed unheeded.
   */
  private async onTopicDeletion(): Promise<void> {
    if (!this.active) return;
    const queued = (await this.zk.getChildren(DeleteTopicsZNode.path, { watch: true })) ?? [];
    for (const topic of queued) {
      if (!this.ctx.topics.has(topic) || !this.options.config.bool('delete.topic.enable')) {
        if (this.ctx.topics.has(topic)) {
          this.logger.warn(
            `[Controller id=${this.brokerId}] Topic deletion is disabled; ignoring the request to delete ${topic}`,
          );
        }
        await this.zk.delete(DeleteTopicsZNode.topicPath(topic)).catch(() => undefined);
        continue;
      }
      if (this.ctx.topicsToBeDeleted.has(topic)) continue;
      this.logger.info(`[Controller id=${this.brokerId}] Starting deletion of topic ${topic}`);
      this.ctx.topicsToBeDeleted.add(topic);
      this.ctx.deletedReplicas.set(topic, new Set());
      // Brokers drop the topic from their metadata (leader -2) before its replicas go.
      const partitions = [...this.ctx.allPartitions()].filter((p) => p.topic === topic);
      this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], partitions);
    }
    await this.resumeDeletions();
  }

  /** Asks every live replica of the topics being deleted to delete itself; finishes topics done. */
  private async resumeDeletions(): Promise<void> {
    for (const topic of this.ctx.topicsToBeDeleted) {
      const replicas = new Set<number>();
      const partitions = [...this.ctx.allPartitions()].filter((p) => p.topic === topic);
      for (const p of partitions) for (const r of this.ctx.replicasOf(topic, p.partition)) replicas.add(r);
      const deleted = this.ctx.deletedReplicas.get(topic) ?? new Set<number>();
      for (const brokerId of replicas) {
        if (deleted.has(brokerId) || !this.ctx.isRegistered(brokerId)) continue;
        const hosted = partitions.filter((p) => this.ctx.replicasOf(topic, p.partition).includes(brokerId));
        this.sendStopReplica(brokerId, hosted, true, (response) =>
          this.trigger('TopicDeletionStopReplicaResponseReceived', () =>
            this.onStopReplicaResponse(topic, brokerId, response),
          ),
        );
      }
      if ([...replicas].some((r) => !deleted.has(r) && !this.ctx.isRegistered(r))) {
        this.logger.info(
          `[Controller id=${this.brokerId}] Deletion of topic ${topic} waits for offline replicas on brokers ${[...replicas].filter((r) => !this.ctx.isRegistered(r)).join(',')}`,
        );
      }
    }
  }

  private async onStopReplicaResponse(topic: string, brokerId: number, response: unknown): Promise<void> {
    if (!this.active || !this.ctx.topicsToBeDeleted.has(topic)) return;
    const body = response as { errorCode: number; partitionErrors: { topicName: string; errorCode: number }[] };
    const failed =
      body.errorCode !== ErrorCode.NONE ||
      body.partitionErrors.some((e) => e.topicName === topic && e.errorCode !== ErrorCode.NONE);
    if (failed) {
      this.logger.warn(
        `[Controller id=${this.brokerId}] Broker ${brokerId} failed to delete its replicas of ${topic}; retrying`,
      );
      return;
    }
    const deleted = this.ctx.deletedReplicas.get(topic);
    deleted?.add(brokerId);
    const replicas = new Set<number>();
    for (const [, list] of this.ctx.topics.get(topic)?.replicas ?? []) for (const r of list) replicas.add(r);
    if (deleted !== undefined && [...replicas].every((r) => deleted.has(r))) await this.completeDeleteTopic(topic);
  }

  /** Every replica is gone: remove the topic's znodes, assignment last-but-one and request last. */
  private async completeDeleteTopic(topic: string): Promise<void> {
    const partitions = [...this.ctx.allPartitions()].filter((p) => p.topic === topic);
    this.forgetTopic(topic);
    const ops: ZkOp[] = [];
    for (const p of partitions) {
      ops.push({ op: 'delete', path: TopicPartitionStateZNode.path(topic, p.partition) });
      ops.push({ op: 'delete', path: TopicPartitionZNode.path(topic, p.partition) });
    }
    // The partitions znode may be absent if no partition ever got a state.
    const existing = await this.zk.exists(TopicPartitionsZNode.path(topic));
    const present: ZkOp[] = [];
    for (const op of ops) if ((await this.zk.exists(op.path)) !== undefined) present.push(op);
    if (existing !== undefined) present.push({ op: 'delete', path: TopicPartitionsZNode.path(topic) });
    present.push({ op: 'delete', path: TopicZNode.path(topic) });
    await this.fencedMulti(present);
    await this.zk.delete(ConfigEntityZNode.path(ConfigType.Topic, topic)).catch(() => undefined);
    await this.zk.delete(DeleteTopicsZNode.topicPath(topic)).catch(() => undefined);
    this.logger.info(`[Controller id=${this.brokerId}] Deletion of topic ${topic} successfully completed`);
  }

  // --- ISR changes made by leaders -----------------------------------------------------------

  /** Leaders changed ISRs in ZooKeeper: refresh those states and tell every broker. */
  private async onIsrChangeNotification(): Promise<void> {
    if (!this.active) return;
    const children = (await this.zk.getChildren(IsrChangeNotificationZNode.path, { watch: true })) ?? [];
    const refreshed: PartitionRef[] = [];
    for (const child of children) {
      const path = `${IsrChangeNotificationZNode.path}/${child}`;
      const found = await this.zk.getData(path);
      if (found !== undefined) {
        for (const p of IsrChangeNotificationZNode.decode(found.data)) {
          if (!this.ctx.topics.has(p.topic)) continue;
          const state = await this.readPartitionState(p.topic, p.partition);
          if (state === undefined) continue;
          this.ctx.states.set(partitionKey(p.topic, p.partition), state);
          refreshed.push(p);
        }
      }
      await this.zk.delete(path).catch(() => undefined);
    }
    if (refreshed.length > 0) this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], refreshed);
  }

  // --- preferred leaders -------------------------------------------------------------------

  private async onPreferredReplicaElectionZNode(): Promise<void> {
    if (!this.active) return;
    const found = await this.zk.getData(PreferredReplicaElectionZNode.path, { watch: true });
    if (found === undefined) return;
    const partitions = PreferredReplicaElectionZNode.decode(found.data);
    await this.electPreferredLeaders(partitions.length === 0 ? [...this.ctx.allPartitions()] : partitions);
    await this.zk.delete(PreferredReplicaElectionZNode.path).catch(() => undefined);
    await this.zk.exists(PreferredReplicaElectionZNode.path, { watch: true });
  }

  private async electPreferredLeaders(partitions: readonly PartitionRef[]): Promise<Map<string, ElectionOutcome>> {
    const outcomes = new Map<string, ElectionOutcome>();
    const candidates: PartitionRef[] = [];
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      const state = this.ctx.stateOf(p.topic, p.partition);
      const assignment = this.ctx.replicasOf(p.topic, p.partition);
      if (state === undefined || this.ctx.topicsToBeDeleted.has(p.topic)) {
        outcomes.set(key, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null });
      } else if (state.leader === assignment[0]) {
        outcomes.set(key, {
          errorCode: ErrorCode.ELECTION_NOT_NEEDED,
          errorMessage: 'Leader election not needed for topic partition.',
        });
      } else if (preferredReplicaLeaderElection(assignment, state.isr, this.ctx.isLive) === undefined) {
        outcomes.set(key, {
          errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE,
          errorMessage: `Failed to elect leader for partition ${key} under strategy PreferredReplicaPartitionLeaderElectionStrategy`,
        });
      } else candidates.push(p);
    }
    const changed = await this.updatePartitionStates(candidates, (current, _p, assignment) => {
      const election = preferredReplicaLeaderElection(assignment, current.isr, this.ctx.isLive);
      return election === undefined
        ? undefined
        : { leader: election.leader, leaderEpoch: current.leaderEpoch + 1, isr: election.isr };
    });
    for (const p of candidates) {
      const ok = changed.some((c) => c.topic === p.topic && c.partition === p.partition);
      outcomes.set(
        partitionKey(p.topic, p.partition),
        ok
          ? { errorCode: ErrorCode.NONE, errorMessage: null }
          : { errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, errorMessage: null },
      );
    }
    this.sendLeaderAndIsrToReplicas(changed);
    this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], changed);
    return outcomes;
  }

  /**
   * `auto.leader.rebalance.enable`: every leader.imbalance.check.interval.seconds, brokers whose
   * share of partitions led by someone else exceeds leader.imbalance.per.broker.percentage get
   * their preferred partitions back.
   */
  private async autoLeaderRebalance(): Promise<void> {
    if (!this.active || this.ctx.topicsToBeDeleted.size > 0) return;
    const threshold = this.options.config.int('leader.imbalance.per.broker.percentage') / 100;
    const byPreferred = new Map<number, PartitionRef[]>();
    for (const p of this.ctx.allPartitions()) {
      const preferred = this.ctx.replicasOf(p.topic, p.partition)[0];
      if (preferred === undefined) continue;
      let list = byPreferred.get(preferred);
      if (list === undefined) {
        list = [];
        byPreferred.set(preferred, list);
      }
      list.push(p);
    }
    const toElect: PartitionRef[] = [];
    for (const [brokerId, preferredHere] of byPreferred) {
      if (!this.ctx.isLive(brokerId)) continue;
      const notLed = preferredHere.filter((p) => this.ctx.stateOf(p.topic, p.partition)?.leader !== brokerId);
      if (notLed.length / preferredHere.length > threshold) {
        toElect.push(...notLed.filter((p) => this.ctx.stateOf(p.topic, p.partition)?.isr.includes(brokerId) === true));
      }
    }
    if (toElect.length > 0) {
      this.logger.info(
        `[Controller id=${this.brokerId}] Starting preferred replica leader election for ${toElect.length} partitions`,
      );
      await this.electPreferredLeaders(toElect);
    }
  }

  // --- APIs served by the active controller ------------------------------------------------

  /**
   * ControlledShutdown: moves leadership of the broker's partitions to other in-sync replicas and
   * takes it out of the ISRs it follows, then answers with the partitions it still leads (those
   * with no other in-sync replica). The broker retries until none remain.
   */
  controlledShutdown(brokerId: number, brokerEpoch: bigint): Promise<{ errorCode: number; remaining: PartitionRef[] }> {
    return this.enqueue('ControlledShutdown', async () => {
      if (!this.active) return { errorCode: ErrorCode.NOT_CONTROLLER, remaining: [] };
      const broker = this.ctx.liveBrokers.get(brokerId);
      if (broker === undefined) return { errorCode: ErrorCode.BROKER_NOT_AVAILABLE, remaining: [] };
      if (brokerEpoch !== -1n && brokerEpoch < broker.epoch)
        return { errorCode: ErrorCode.STALE_BROKER_EPOCH, remaining: [] };
      this.ctx.shuttingDownBrokers.add(brokerId);
      this.logger.info(`[Controller id=${this.brokerId}] Shutting down broker ${brokerId}`);
      const hosted = this.ctx
        .partitionsOnBroker(brokerId)
        .filter(
          (p) => this.ctx.replicasOf(p.topic, p.partition).length > 1 && !this.ctx.topicsToBeDeleted.has(p.topic),
        );
      const led = hosted.filter((p) => this.ctx.stateOf(p.topic, p.partition)?.leader === brokerId);
      const moved = await this.updatePartitionStates(led, (current, _p, assignment) => {
        const election: ElectionResult | undefined = controlledShutdownLeaderElection(
          assignment,
          current.isr,
          this.ctx.isRegistered,
          this.ctx.shuttingDownBrokers,
        );
        return election === undefined
          ? undefined
          : { leader: election.leader, leaderEpoch: current.leaderEpoch + 1, isr: election.isr };
      });
      const followed = hosted.filter((p) => {
        const state = this.ctx.stateOf(p.topic, p.partition);
        return state !== undefined && state.leader !== brokerId;
      });
      const shrunk = await this.updatePartitionStates(followed, (current) => {
        if (!current.isr.includes(brokerId) || current.isr.length <= 1) return undefined;
        return {
          leader: current.leader,
          leaderEpoch: current.leaderEpoch + 1,
          isr: current.isr.filter((r) => r !== brokerId),
        };
      });
      const changed = [...moved, ...shrunk];
      this.sendLeaderAndIsrToReplicas(changed);
      this.sendStopReplica(brokerId, followed, false);
      this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], changed);
      const remaining = this.ctx
        .partitionsOnBroker(brokerId)
        .filter(
          (p) =>
            this.ctx.stateOf(p.topic, p.partition)?.leader === brokerId &&
            this.ctx.replicasOf(p.topic, p.partition).length > 1,
        );
      return { errorCode: ErrorCode.NONE, remaining };
    });
  }

  /**
   * AlterPartition (KIP-497): a leader's ISR change. Accepted only from the current leader at the
   * current leader epoch and partition epoch (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION
   * otherwise), only with live replicas of the partition in the new ISR (INELIGIBLE_REPLICA);
   * written to the state znode behind the epoch fence, then sent to every broker's metadata.
   */
  alterPartition(
    brokerId: number,
    brokerEpoch: bigint,
    requests: readonly IsrChangeProposal[],
  ): Promise<{ errorCode: number; results: Map<string, IsrChangeResult> }> {
    return this.enqueue('AlterPartition', async () => {
      const results = new Map<string, IsrChangeResult>();
      if (!this.active) return { errorCode: ErrorCode.NOT_CONTROLLER, results };
      const broker = this.ctx.liveBrokers.get(brokerId);
      if (broker === undefined || (brokerEpoch !== -1n && brokerEpoch !== broker.epoch)) {
        return { errorCode: ErrorCode.STALE_BROKER_EPOCH, results };
      }
      const byKey = new Map(requests.map((r) => [partitionKey(r.topic, r.partition), r]));
      const refusals = new Map<string, number>();
      const changed = await this.updatePartitionStates(requests, (current, p, assignment) => {
        const key = partitionKey(p.topic, p.partition);
        const request = byKey.get(key);
        if (request === undefined) return undefined;
        let refusal: number = ErrorCode.NONE;
        if (current.leader !== brokerId) refusal = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        else if (request.leaderEpoch !== current.leaderEpoch) refusal = ErrorCode.FENCED_LEADER_EPOCH;
        else if (request.partitionEpoch !== current.zkVersion) refusal = ErrorCode.INVALID_UPDATE_VERSION;
        else if (
          !request.newIsr.includes(brokerId) ||
          request.newIsr.some((r) => !assignment.includes(r) || !this.ctx.isRegistered(r))
        ) {
          refusal = ErrorCode.INELIGIBLE_REPLICA;
        }
        if (refusal !== ErrorCode.NONE) {
          refusals.set(key, refusal);
          return undefined;
        }
        refusals.delete(key);
        return { leader: current.leader, leaderEpoch: current.leaderEpoch, isr: request.newIsr };
      });
      for (const r of requests) {
        const key = partitionKey(r.topic, r.partition);
        const state = this.ctx.stateOf(r.topic, r.partition);
        if (state === undefined) {
          results.set(key, {
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            leaderId: -1,
            leaderEpoch: -1,
            isr: [],
            partitionEpoch: -1,
          });
          continue;
        }
        results.set(key, {
          errorCode: refusals.get(key) ?? ErrorCode.NONE,
          leaderId: state.leader,
          leaderEpoch: state.leaderEpoch,
          isr: state.isr,
          partitionEpoch: state.zkVersion,
        });
      }
      if (changed.length > 0) {
        this.logger.info(
          `[Controller id=${this.brokerId}] ISR changes from broker ${brokerId}: ${changed
            .map((p) => `${p.topic}-${p.partition} → [${this.ctx.stateOf(p.topic, p.partition)?.isr.join(',')}]`)
            .join(', ')}`,
        );
        this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], changed);
      }
      return { errorCode: ErrorCode.NONE, results };
    });
  }

  /** ElectLeaders: preferred or unclean elections for the given partitions (all when null). */
  electLeaders(
    electionType: number,
    partitions: readonly PartitionRef[] | null,
  ): Promise<Map<string, ElectionOutcome> | undefined> {
    return this.enqueue('ReplicaLeaderElection', async () => {
      if (!this.active) return undefined;
      const wanted = partitions ?? [...this.ctx.allPartitions()];
      if (electionType === ElectionType.PREFERRED) return this.electPreferredLeaders(wanted);
      return this.electUncleanLeaders(wanted);
    });
  }

  private async electUncleanLeaders(partitions: readonly PartitionRef[]): Promise<Map<string, ElectionOutcome>> {
    const outcomes = new Map<string, ElectionOutcome>();
    const candidates: PartitionRef[] = [];
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      const state = this.ctx.stateOf(p.topic, p.partition);
      if (state === undefined)
        outcomes.set(key, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null });
      else if (this.ctx.isLive(state.leader)) {
        outcomes.set(key, {
          errorCode: ErrorCode.ELECTION_NOT_NEEDED,
          errorMessage: 'Leader election not needed for topic partition.',
        });
      } else candidates.push(p);
    }
    const changed = await this.updatePartitionStates(candidates, (current, _p, assignment) => {
      const election = offlinePartitionLeaderElection(assignment, current.isr, this.ctx.isLive, true);
      return election === undefined
        ? undefined
        : { leader: election.leader, leaderEpoch: current.leaderEpoch + 1, isr: election.isr };
    });
    for (const p of candidates) {
      const ok = changed.some((c) => c.topic === p.topic && c.partition === p.partition);
      outcomes.set(
        partitionKey(p.topic, p.partition),
        ok
          ? { errorCode: ErrorCode.NONE, errorMessage: null }
          : {
              errorCode: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE,
              errorMessage: `Failed to elect leader for partition ${p.topic}-${p.partition} under strategy OfflinePartitionLeaderElectionStrategy(true)`,
            },
      );
    }
    this.sendLeaderAndIsrToReplicas(changed);
    this.sendUpdateMetadata([...this.ctx.liveBrokers.keys()], changed);
    return outcomes;
  }
}
