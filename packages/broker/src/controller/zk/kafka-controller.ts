import { ErrorCode, randomUuid } from '@samsa/protocol';
import type { BrokerConfig } from '../../config/broker-config.js';
import type { Logger } from '../../logger.js';
import type { InterBrokerSecurity } from '../../network/inter-broker-security.js';
import { isZkError, type KafkaZkClient, ZkCode } from '../../zk/kafka-zk-client.js';
import {
  BrokerIdsZNode,
  BrokerIdZNode,
  ControllerEpochZNode,
  ControllerZNode,
  DeleteTopicsZNode,
  IsrChangeNotificationZNode,
  LogDirEventNotificationZNode,
  NO_LEADER,
  PreferredReplicaElectionZNode,
  ReassignPartitionsZNode,
  TopicsZNode,
  TopicZNode,
} from '../../zk/zk-data.js';
import type { OngoingReassignment, PartitionOutcome, ReassignmentRequest } from '../controller.js';
import { ControllerChannelManager } from './controller-channel-manager.js';
import { ControllerContext, type LiveBroker, partitionKey } from './controller-context.js';
import type { ControllerDeps } from './controller-deps.js';
import { ControllerRequestSender } from './controller-request-sender.js';
import type { PartitionRef } from './controller-requests.js';
import {
  controlledShutdownLeaderElection,
  type ElectionResult,
  initialLeaderAndIsr,
  offlinePartitionLeaderElection,
  preferredReplicaLeaderElection,
} from './partition-leader-election.js';
import { PartitionReassignmentManager } from './partition-reassignment-manager.js';
import { ControllerMovedError, PartitionStateStore } from './partition-state-store.js';
import { TopicDeletionManager } from './topic-deletion-manager.js';

export { ControllerMovedError };

export interface KafkaControllerOptions {
  readonly brokerId: number;
  readonly config: BrokerConfig;
  readonly zk: KafkaZkClient;
  /** Topic config overrides (for `unclean.leader.election.enable`), read from ZooKeeper. */
  readonly topicOverrides: (topic: string) => Promise<Readonly<Record<string, string>>>;
  readonly logger: Logger;
  /** The inter-broker listener's TLS and SASL, for the channels to the brokers. */
  readonly interBrokerSecurity?: InterBrokerSecurity;
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
  private readonly store: PartitionStateStore;
  private readonly send: ControllerRequestSender;
  private readonly deletion: TopicDeletionManager;
  private readonly reassignment: PartitionReassignmentManager;
  private queue: Promise<unknown> = Promise.resolve();
  private active = false;
  /** The ZooKeeper session in which this broker last won the election (its /controller owner). */
  private electedInSession: bigint | undefined;
  private stopped = false;
  private rebalanceTimer: NodeJS.Timeout | undefined;
  /** The broker id of the active controller as last read from ZooKeeper; -1 if none. */
  activeControllerId = -1;

  constructor(private readonly options: KafkaControllerOptions) {
    this.store = new PartitionStateStore(this.ctx, options.zk, options.logger);
    this.send = new ControllerRequestSender(this.ctx, options.brokerId, options.config.interBrokerListenerName);
    const deps: ControllerDeps = {
      ctx: this.ctx,
      zk: options.zk,
      store: this.store,
      send: this.send,
      logger: options.logger,
      logPrefix: `[Controller id=${options.brokerId}]`,
      trigger: (name, work) => this.trigger(name, work),
    };
    this.deletion = new TopicDeletionManager(
      deps,
      () => options.config.bool('delete.topic.enable'),
      (topic) => this.forgetTopic(topic),
    );
    this.reassignment = new PartitionReassignmentManager(deps);
  }

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

  /**
   * A session expired: a controllership won in it is void from now on (its /controller znode is
   * gone). One won in the next session stays: an election queued before the expiry (a watch on
   * /controller fired as ZooKeeper expired the old controller's session) may have waited for the
   * new session and won in it, and resigning then would leave /controller held by nobody active.
   */
  onSessionExpired(expiredSessionId: bigint): void {
    void this.enqueue('Expire', async () => {
      if (this.electedInSession === expiredSessionId) await this.resign('the ZooKeeper session expired');
    });
  }

  /** A new session is up (after the broker re-registered): take part in an election again. */
  onNewSession(): Promise<void> {
    return this.enqueue('Reelect', () => this.reelect());
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.enqueue('Shutdown', () => this.resign('shutting down'));
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
          await this.resign(`${name}: ${err.message}`);
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

  /**
   * Queues an event of the active controller (a watch firing, a timer, a late response): skipped
   * if the role was lost before its turn; a failure is logged, not thrown at the watcher.
   */
  private trigger(name: string, work: () => Promise<void>): void {
    if (this.stopped) return;
    this.enqueue(name, async () => {
      if (this.active) await work();
    }).catch(() => undefined);
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
    this.electedInSession = this.zk.sessionId;
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
      await this.resign(`/controller is ${current === undefined ? 'gone' : 'held by another broker'}`);
    }
    await this.elect();
  }

  private async onControllerChange(): Promise<void> {
    const current = await this.zk.getData(ControllerZNode.path, { watch: true });
    this.activeControllerId = current === undefined ? -1 : ControllerZNode.decode(current.data);
    if (this.active && this.activeControllerId !== this.brokerId)
      await this.resign(`broker ${this.activeControllerId} is the controller now`);
    if (current === undefined) await this.elect();
  }

  private async resign(reason: string): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.logger.info(`[Controller id=${this.brokerId}] Resigned: ${reason}`);
    if (this.rebalanceTimer !== undefined) clearInterval(this.rebalanceTimer);
    this.rebalanceTimer = undefined;
    for (const path of [
      BrokerIdsZNode.path,
      TopicsZNode.path,
      DeleteTopicsZNode.path,
      IsrChangeNotificationZNode.path,
      LogDirEventNotificationZNode.path,
    ]) {
      this.zk.unregisterChildChangeHandler(path);
    }
    this.zk.unregisterDataChangeHandler(PreferredReplicaElectionZNode.path);
    this.zk.unregisterDataChangeHandler(ReassignPartitionsZNode.path);
    for (const topic of this.ctx.topics.keys()) this.zk.unregisterDataChangeHandler(TopicZNode.path(topic));
    this.send.channels?.shutdown();
    this.send.channels = undefined;
    this.ctx.clear();
  }

  private async onControllerFailover(): Promise<void> {
    const started = Date.now();
    this.zk.registerChildChangeHandler(BrokerIdsZNode.path, () =>
      this.trigger('BrokerChange', () => this.onBrokerChange()),
    );
    this.zk.registerChildChangeHandler(TopicsZNode.path, () => this.trigger('TopicChange', () => this.onTopicChange()));
    this.zk.registerChildChangeHandler(DeleteTopicsZNode.path, () =>
      this.trigger('TopicDeletion', () => this.deletion.onTopicDeletion()),
    );
    this.zk.registerChildChangeHandler(IsrChangeNotificationZNode.path, () =>
      this.trigger('IsrChangeNotification', () => this.onIsrChangeNotification()),
    );
    this.zk.registerDataChangeHandler(PreferredReplicaElectionZNode.path, {
      onCreate: () => this.trigger('PreferredReplicaLeaderElection', () => this.onPreferredReplicaElectionZNode()),
    });
    this.zk.registerChildChangeHandler(LogDirEventNotificationZNode.path, () =>
      this.trigger('LogDirEventNotification', () => this.onLogDirEventNotification()),
    );
    this.zk.registerDataChangeHandler(ReassignPartitionsZNode.path, {
      onCreate: () => this.trigger('ZkPartitionReassignment', () => this.reassignment.onReassignPartitionsZNode()),
    });
    const channels = new ControllerChannelManager(
      this.brokerId,
      this.options.config.interBrokerListenerName,
      this.options.config.int('controller.socket.timeout.ms'),
      this.logger.child({ component: 'controller-channel' }),
      this.options.interBrokerSecurity,
    );
    this.send.channels = channels;

    for (const [id, broker] of await this.readLiveBrokers()) {
      this.ctx.liveBrokers.set(id, broker);
      channels.addBroker(broker.info);
    }
    for (const topic of (await this.zk.getChildren(TopicsZNode.path, { watch: true })) ?? [])
      await this.loadTopic(topic);
    const live = [...this.ctx.liveBrokers.keys()];
    this.send.updateMetadata(live, [...this.ctx.allPartitions()]);
    // Partitions without a state znode (created while no controller was there) get their first
    // leader; partitions whose leader is gone get a new one.
    const uninitialized = [...this.ctx.allPartitions()].filter(
      (p) => this.ctx.stateOf(p.topic, p.partition) === undefined,
    );
    await this.initializePartitions(uninitialized);
    await this.electOfflinePartitions();
    // Brokers that died with the previous controller (or before it noticed) are still in ISRs
    // where they follow: they leave them now, as KRaft's controller fences them.
    const notLive = new Set<number>();
    for (const p of this.ctx.allPartitions()) {
      for (const r of this.ctx.stateOf(p.topic, p.partition)?.isr ?? []) {
        if (!this.ctx.liveBrokers.has(r)) notLive.add(r);
      }
    }
    const shrunk = notLive.size > 0 ? await this.removeFromIsrs(notLive) : [];
    if (shrunk.length > 0) this.send.updateMetadata(live, shrunk);
    // Every live replica learns the current state, whatever the previous controller got to send.
    for (const id of live) {
      const hosted = this.ctx
        .partitionsOnBroker(id)
        .filter((p) => this.ctx.stateOf(p.topic, p.partition) !== undefined);
      if (hosted.length > 0) this.send.leaderAndIsr(id, hosted);
    }
    await this.deletion.onTopicDeletion();
    await this.onIsrChangeNotification();
    await this.onLogDirEventNotification();
    if ((await this.zk.exists(PreferredReplicaElectionZNode.path, { watch: true })) !== undefined) {
      await this.onPreferredReplicaElectionZNode();
    }
    // Reassignments the previous controller left in the topic znodes continue where they were.
    await this.reassignment.resume();
    if ((await this.zk.exists(ReassignPartitionsZNode.path, { watch: true })) !== undefined) {
      await this.reassignment.onReassignPartitionsZNode();
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
    for (const [partition, list] of assignment.partitions) {
      const adding = assignment.addingReplicas.get(partition) ?? [];
      const removing = assignment.removingReplicas.get(partition) ?? [];
      // One this controller started is known already, with the original replicas in their order.
      if ((adding.length === 0 && removing.length === 0) || this.ctx.reassignments.has(partitionKey(topic, partition)))
        continue;
      this.ctx.reassignments.set(partitionKey(topic, partition), {
        original: list.filter((r) => !adding.includes(r)),
        target: list.filter((r) => !removing.includes(r)),
        adding,
        removing,
      });
    }
    for (const { partition } of added) {
      const state = await this.store.read(topic, partition);
      if (state !== undefined) this.ctx.states.set(partitionKey(topic, partition), state);
    }
    return added;
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
      await this.store.create(p, { leader: election.leader, leaderEpoch: 0, isr: election.isr });
      initialized.push(p);
    }
    if (initialized.length === 0) return initialized;
    this.send.leaderAndIsrToReplicas(initialized.map((p) => ({ ...p, isNew: true })));
    this.send.updateMetadata([...this.ctx.liveBrokers.keys()], initialized);
    return initialized;
  }

  /** New leaders for partitions whose leader is not live (Kafka's OfflinePartition → OnlinePartition). */
  private async electOfflinePartitions(): Promise<void> {
    const offline = [...this.ctx.allPartitions()].filter((p) => {
      const state = this.ctx.stateOf(p.topic, p.partition);
      return (
        state !== undefined &&
        !this.ctx.topicsToBeDeleted.has(p.topic) &&
        !this.ctx.isReplicaOnline(state.leader, p.topic, p.partition)
      );
    });
    if (offline.length === 0) return;
    const unclean = new Map<string, boolean>();
    for (const topic of new Set(offline.map((p) => p.topic))) unclean.set(topic, await this.uncleanEnabled(topic));
    const changed = await this.store.update(offline, (current, p, assignment) => {
      const election = offlinePartitionLeaderElection(
        assignment,
        current.isr,
        (b) => this.ctx.isReplicaOnline(b, p.topic, p.partition),
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
    this.send.leaderAndIsrToReplicas(changed);
    this.send.updateMetadata([...this.ctx.liveBrokers.keys()], changed);
  }

  private async uncleanEnabled(topic: string): Promise<boolean> {
    const override = (await this.options.topicOverrides(topic))['unclean.leader.election.enable'];
    if (override !== undefined) return override.trim().toLowerCase() === 'true';
    return this.options.config.bool('unclean.leader.election.enable');
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
    // A broker that went or came back starts over with all its log dirs.
    for (const id of [...dead, ...added]) this.ctx.offlineReplicas.delete(id);
    if (dead.length > 0) {
      this.logger.info(`[Controller id=${this.brokerId}] Broker failure callback for ${dead.join(',')}`);
      await this.onBrokerFailure(dead);
    }
    if (added.length > 0) {
      for (const id of added) {
        const broker = current.get(id);
        if (broker === undefined) continue;
        this.ctx.liveBrokers.set(id, broker);
        this.send.channels?.addBroker(broker.info);
      }
      this.logger.info(`[Controller id=${this.brokerId}] New broker startup callback for ${added.join(',')}`);
      await this.onBrokerStartup(added);
    }
  }

  private async onBrokerFailure(dead: readonly number[]): Promise<void> {
    for (const id of dead) {
      this.ctx.liveBrokers.delete(id);
      this.ctx.shuttingDownBrokers.delete(id);
      this.send.channels?.removeBroker(id);
    }
    await this.electOfflinePartitions();
    const shrunk = await this.removeFromIsrs(new Set(dead));
    // Always: the live broker list changed, whatever partitions did.
    this.send.updateMetadata([...this.ctx.liveBrokers.keys()], shrunk);
  }

  /**
   * Followers on dead brokers leave the ISRs (but the last member stays, so that a clean election
   * is still possible when it returns); the partitions' replicas learn it. Without this, acks=all
   * writes — the group coordinator's among them — would wait replica.lag.time.max.ms for the
   * leader to drop the dead follower itself.
   */
  private async removeFromIsrs(dead: ReadonlySet<number>): Promise<PartitionRef[]> {
    const followers = [...this.ctx.allPartitions()].filter((p) => {
      const state = this.ctx.stateOf(p.topic, p.partition);
      return (
        state !== undefined &&
        !this.ctx.topicsToBeDeleted.has(p.topic) &&
        state.isr.some((r) => dead.has(r) && r !== state.leader)
      );
    });
    const shrunk = await this.store.update(followers, (current) => {
      const isr = current.isr.filter((r) => !dead.has(r));
      if (isr.length === 0 || isr.length === current.isr.length) return undefined;
      return { leader: current.leader, leaderEpoch: current.leaderEpoch + 1, isr };
    });
    this.send.leaderAndIsrToReplicas(shrunk);
    return shrunk;
  }

  private async onBrokerStartup(added: readonly number[]): Promise<void> {
    const live = [...this.ctx.liveBrokers.keys()];
    const addedSet = new Set(added);
    // New brokers learn everything; the others learn the new broker list.
    this.send.updateMetadata(added, [...this.ctx.allPartitions()]);
    this.send.updateMetadata(
      live.filter((id) => !addedSet.has(id)),
      [],
    );
    for (const id of added) {
      const hosted = this.ctx
        .partitionsOnBroker(id)
        .filter(
          (p) => this.ctx.stateOf(p.topic, p.partition) !== undefined && !this.ctx.topicsToBeDeleted.has(p.topic),
        );
      this.send.leaderAndIsr(id, hosted);
    }
    const uninitialized = [...this.ctx.allPartitions()].filter(
      (p) => this.ctx.stateOf(p.topic, p.partition) === undefined,
    );
    await this.initializePartitions(uninitialized);
    await this.electOfflinePartitions();
    await this.deletion.resume();
    await this.reassignment.resume();
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
    for (const partition of state?.replicas.keys() ?? []) this.ctx.reassignments.delete(partitionKey(topic, partition));
    this.zk.unregisterDataChangeHandler(TopicZNode.path(topic));
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
          const state = await this.store.read(p.topic, p.partition);
          if (state === undefined) continue;
          this.ctx.states.set(partitionKey(p.topic, p.partition), state);
          refreshed.push(p);
        }
      }
      await this.zk.delete(path).catch(() => undefined);
    }
    if (refreshed.length > 0) this.send.updateMetadata([...this.ctx.liveBrokers.keys()], refreshed);
    for (const p of refreshed) await this.reassignment.maybeComplete(p);
  }

  // --- failed log dirs ------------------------------------------------------------------------

  /**
   * Brokers reported a failed log dir (Kafka's onBrokerLogDirFailure): each is sent LeaderAndIsr
   * for all its replicas, and answers KAFKA_STORAGE_ERROR for those that are offline.
   */
  private async onLogDirEventNotification(): Promise<void> {
    const children = (await this.zk.getChildren(LogDirEventNotificationZNode.path, { watch: true })) ?? [];
    const brokers = new Set<number>();
    for (const child of children) {
      const path = `${LogDirEventNotificationZNode.path}/${child}`;
      const found = await this.zk.getData(path);
      if (found !== undefined) {
        try {
          brokers.add(LogDirEventNotificationZNode.decode(found.data));
        } catch (err) {
          this.logger.warn({ err }, `ignoring unreadable log dir event ${path}`);
        }
      }
      await this.zk.delete(path).catch(() => undefined);
    }
    for (const brokerId of brokers) {
      if (!this.ctx.isRegistered(brokerId)) continue;
      this.logger.info(
        `[Controller id=${this.brokerId}] Broker ${brokerId} has a failed log dir; asking for its offline replicas`,
      );
      const hosted = this.ctx
        .partitionsOnBroker(brokerId)
        .filter(
          (p) => this.ctx.stateOf(p.topic, p.partition) !== undefined && !this.ctx.topicsToBeDeleted.has(p.topic),
        );
      this.send.leaderAndIsr(brokerId, hosted, (response) =>
        this.trigger('LeaderAndIsrResponseReceived', () => this.onLeaderAndIsrResponse(brokerId, response)),
      );
    }
  }

  /** Replicas a broker reports KAFKA_STORAGE_ERROR for are offline: elect around them, drop them from ISRs. */
  private async onLeaderAndIsrResponse(brokerId: number, response: unknown): Promise<void> {
    const body = response as {
      errorCode: number;
      topics: { topicId: string; partitionErrors: { partitionIndex: number; errorCode: number }[] }[];
    };
    if (body.errorCode !== ErrorCode.NONE || !this.ctx.isRegistered(brokerId)) return;
    const topicById = new Map([...this.ctx.topics].map(([name, t]) => [t.topicId, name]));
    let offline = this.ctx.offlineReplicas.get(brokerId);
    const newlyOffline: PartitionRef[] = [];
    for (const t of body.topics) {
      const topic = topicById.get(t.topicId);
      if (topic === undefined) continue;
      for (const p of t.partitionErrors) {
        if (p.errorCode !== ErrorCode.KAFKA_STORAGE_ERROR) continue;
        const key = partitionKey(topic, p.partitionIndex);
        if (offline === undefined) {
          offline = new Set();
          this.ctx.offlineReplicas.set(brokerId, offline);
        }
        if (offline.has(key)) continue;
        offline.add(key);
        newlyOffline.push({ topic, partition: p.partitionIndex });
      }
    }
    if (newlyOffline.length === 0) return;
    this.logger.info(
      `[Controller id=${this.brokerId}] Replicas on broker ${brokerId} are offline (failed log dir): ${newlyOffline.map((p) => partitionKey(p.topic, p.partition)).join(',')}`,
    );
    // Leaders first (Kafka's OfflinePartition → OnlinePartition), then the ISRs they leave.
    await this.electOfflinePartitions();
    const shrunk = await this.store.update(newlyOffline, (current) => {
      if (!current.isr.includes(brokerId) || current.isr.length <= 1 || current.leader === brokerId) return undefined;
      return {
        leader: current.leader,
        leaderEpoch: current.leaderEpoch + 1,
        isr: current.isr.filter((r) => r !== brokerId),
      };
    });
    this.send.leaderAndIsrToReplicas(shrunk);
    this.send.updateMetadataEverywhere(newlyOffline);
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

  private async electPreferredLeaders(partitions: readonly PartitionRef[]): Promise<Map<string, PartitionOutcome>> {
    const outcomes = new Map<string, PartitionOutcome>();
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
    const changed = await this.store.update(candidates, (current, _p, assignment) => {
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
    this.send.leaderAndIsrToReplicas(changed);
    this.send.updateMetadata([...this.ctx.liveBrokers.keys()], changed);
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
      const moved = await this.store.update(led, (current, _p, assignment) => {
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
      const shrunk = await this.store.update(followed, (current) => {
        if (!current.isr.includes(brokerId) || current.isr.length <= 1) return undefined;
        return {
          leader: current.leader,
          leaderEpoch: current.leaderEpoch + 1,
          isr: current.isr.filter((r) => r !== brokerId),
        };
      });
      const changed = [...moved, ...shrunk];
      this.send.leaderAndIsrToReplicas(changed);
      this.send.stopReplica(brokerId, followed, false);
      this.send.updateMetadata([...this.ctx.liveBrokers.keys()], changed);
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
      const changed = await this.store.update(requests, (current, p, assignment) => {
        const key = partitionKey(p.topic, p.partition);
        const request = byKey.get(key);
        if (request === undefined) return undefined;
        let refusal: number = ErrorCode.NONE;
        if (current.leader !== brokerId) refusal = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        else if (request.leaderEpoch !== current.leaderEpoch) refusal = ErrorCode.FENCED_LEADER_EPOCH;
        else if (request.partitionEpoch !== current.zkVersion) refusal = ErrorCode.INVALID_UPDATE_VERSION;
        else if (
          !request.newIsr.includes(brokerId) ||
          request.newIsr.some(
            (r) => !assignment.includes(r) || this.ctx.offlineReplicasOf(p.topic, p.partition).includes(r),
          )
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
        this.send.updateMetadata([...this.ctx.liveBrokers.keys()], changed);
        // A replica joining the ISR may complete a reassignment; the partition's new state is
        // answered here and the leader learns of phase B through LeaderAndIsr.
        for (const p of changed) await this.reassignment.maybeComplete(p);
      }
      return { errorCode: ErrorCode.NONE, results };
    });
  }

  /** AlterPartitionReassignments; undefined when this broker is not the controller. */
  alterPartitionReassignments(
    requests: readonly ReassignmentRequest[],
  ): Promise<Map<string, PartitionOutcome> | undefined> {
    return this.enqueue('ApiPartitionReassignment', async () =>
      this.active ? this.reassignment.reassign(requests) : undefined,
    );
  }

  /** ListPartitionReassignments; undefined when this broker is not the controller. */
  listPartitionReassignments(partitions: readonly PartitionRef[] | null): Promise<OngoingReassignment[] | undefined> {
    return this.enqueue('ListPartitionReassignments', async () =>
      this.active ? this.reassignment.list(partitions) : undefined,
    );
  }

  /** ElectLeaders: preferred or unclean elections for the given partitions (all when null). */
  electLeaders(
    electionType: number,
    partitions: readonly PartitionRef[] | null,
  ): Promise<Map<string, PartitionOutcome> | undefined> {
    return this.enqueue('ReplicaLeaderElection', async () => {
      if (!this.active) return undefined;
      const wanted = partitions ?? [...this.ctx.allPartitions()];
      if (electionType === ElectionType.PREFERRED) return this.electPreferredLeaders(wanted);
      return this.electUncleanLeaders(wanted);
    });
  }

  private async electUncleanLeaders(partitions: readonly PartitionRef[]): Promise<Map<string, PartitionOutcome>> {
    const outcomes = new Map<string, PartitionOutcome>();
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
    const changed = await this.store.update(candidates, (current, _p, assignment) => {
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
    this.send.leaderAndIsrToReplicas(changed);
    this.send.updateMetadata([...this.ctx.liveBrokers.keys()], changed);
    return outcomes;
  }
}
