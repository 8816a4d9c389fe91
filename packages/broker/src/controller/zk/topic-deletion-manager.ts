import { ErrorCode } from '@samsa/protocol';
import type { ZkOp } from '../../zk/kafka-zk-client.js';
import {
  ConfigEntityZNode,
  ConfigType,
  DeleteTopicsZNode,
  TopicPartitionStateZNode,
  TopicPartitionsZNode,
  TopicPartitionZNode,
  TopicZNode,
} from '../../zk/zk-data.js';
import type { ControllerDeps } from './controller-deps.js';

/**
 * Topic deletion as the seeds describe it (Kafka's TopicDeletionManager): a topic queued under
 * `/admin/delete_topics` first leaves every broker's metadata (partition states with leader -2),
 * then each replica is told to delete its log (StopReplica with delete); when every replica has
 * confirmed, the topic's znodes are removed — its assignment and partition states, its config, and
 * the deletion request last. A replica on a broker that is down holds the deletion until the
 * broker returns.
 */
export class TopicDeletionManager {
  constructor(
    private readonly deps: ControllerDeps,
    private readonly deleteTopicEnable: () => boolean,
    /** Drops the topic from the controller's context and watches. */
    private readonly forgetTopic: (topic: string) => void,
  ) {}

  /** `/admin/delete_topics` changed (or failover): start deleting the topics queued there. */
  async onTopicDeletion(): Promise<void> {
    const { ctx, zk, send, logger, logPrefix } = this.deps;
    const queued = (await zk.getChildren(DeleteTopicsZNode.path, { watch: true })) ?? [];
    for (const topic of queued) {
      if (!ctx.topics.has(topic) || !this.deleteTopicEnable()) {
        if (ctx.topics.has(topic))
          logger.warn(`${logPrefix} Topic deletion is disabled; ignoring the request to delete ${topic}`);
        await zk.delete(DeleteTopicsZNode.topicPath(topic)).catch(() => undefined);
        continue;
      }
      if (ctx.topicsToBeDeleted.has(topic)) continue;
      logger.info(`${logPrefix} Starting deletion of topic ${topic}`);
      ctx.topicsToBeDeleted.add(topic);
      ctx.deletedReplicas.set(topic, new Set());
      // Brokers drop the topic from their metadata (leader -2) before its replicas go.
      send.updateMetadataEverywhere([...ctx.allPartitions()].filter((p) => p.topic === topic));
    }
    await this.resume();
  }

  /** Asks every live replica of the topics being deleted to delete itself. */
  async resume(): Promise<void> {
    const { ctx, send, logger, logPrefix, trigger } = this.deps;
    for (const topic of ctx.topicsToBeDeleted) {
      const replicas = new Set<number>();
      const partitions = [...ctx.allPartitions()].filter((p) => p.topic === topic);
      for (const p of partitions) for (const r of ctx.replicasOf(topic, p.partition)) replicas.add(r);
      const deleted = ctx.deletedReplicas.get(topic) ?? new Set<number>();
      for (const brokerId of replicas) {
        if (deleted.has(brokerId) || !ctx.isRegistered(brokerId)) continue;
        const hosted = partitions.filter((p) => ctx.replicasOf(topic, p.partition).includes(brokerId));
        send.stopReplica(brokerId, hosted, true, (response) =>
          trigger('TopicDeletionStopReplicaResponseReceived', () =>
            this.onStopReplicaResponse(topic, brokerId, response),
          ),
        );
      }
      const offline = [...replicas].filter((r) => !deleted.has(r) && !ctx.isRegistered(r));
      if (offline.length > 0) {
        logger.info(
          `${logPrefix} Deletion of topic ${topic} waits for offline replicas on brokers ${offline.join(',')}`,
        );
      }
    }
  }

  private async onStopReplicaResponse(topic: string, brokerId: number, response: unknown): Promise<void> {
    const { ctx, logger, logPrefix } = this.deps;
    if (!ctx.topicsToBeDeleted.has(topic)) return;
    const body = response as { errorCode: number; partitionErrors: { topicName: string; errorCode: number }[] };
    const failed =
      body.errorCode !== ErrorCode.NONE ||
      body.partitionErrors.some((e) => e.topicName === topic && e.errorCode !== ErrorCode.NONE);
    if (failed) {
      logger.warn(`${logPrefix} Broker ${brokerId} failed to delete its replicas of ${topic}; retrying`);
      return;
    }
    const deleted = ctx.deletedReplicas.get(topic);
    deleted?.add(brokerId);
    const replicas = new Set<number>();
    for (const [, list] of ctx.topics.get(topic)?.replicas ?? []) for (const r of list) replicas.add(r);
    if (deleted !== undefined && [...replicas].every((r) => deleted.has(r))) await this.complete(topic);
  }

  /** Every replica is gone: remove the topic's znodes, the deletion request last. */
  private async complete(topic: string): Promise<void> {
    const { ctx, zk, store, logger, logPrefix } = this.deps;
    const partitions = [...ctx.allPartitions()].filter((p) => p.topic === topic);
    this.forgetTopic(topic);
    const present: ZkOp[] = [];
    for (const p of partitions) {
      for (const path of [
        TopicPartitionStateZNode.path(topic, p.partition),
        TopicPartitionZNode.path(topic, p.partition),
      ]) {
        if ((await zk.exists(path)) !== undefined) present.push({ op: 'delete', path });
      }
    }
    // The partitions znode may be absent if no partition ever got a state.
    if ((await zk.exists(TopicPartitionsZNode.path(topic))) !== undefined)
      present.push({ op: 'delete', path: TopicPartitionsZNode.path(topic) });
    present.push({ op: 'delete', path: TopicZNode.path(topic) });
    // In the same transaction: its config and, last, the deletion request, so that nobody sees
    // the topic gone but its deletion still pending.
    for (const path of [ConfigEntityZNode.path(ConfigType.Topic, topic), DeleteTopicsZNode.topicPath(topic)]) {
      if ((await zk.exists(path)) !== undefined) present.push({ op: 'delete', path });
    }
    await store.fencedMulti(present);
    logger.info(`${logPrefix} Deletion of topic ${topic} successfully completed`);
  }
}
