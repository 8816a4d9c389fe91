import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey, ErrorCode } from '@samsa/protocol';
import type { TopicPartition } from '../../src/common/topic-partition.js';
import type { ConsumerConfig } from '../../src/config/client-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { ConsumerGroupMembership } from '../../src/consumer/consumer-group-membership.js';
import { SubscriptionState } from '../../src/consumer/subscription-state.js';
import { Cluster } from '../../src/metadata/cluster.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
const TOPIC = 't';

type Answer = { errorCode?: number; memberEpoch?: number; assignment?: number[] | null };

/**
 * A coordinator scripted per heartbeat: each ConsumerGroupHeartbeat takes the next answer
 * (the last one repeats). Metadata carries the topic's id, as Metadata v10+ does.
 */
async function scriptedCoordinator(answers: Answer[], commitErrors: number[] = []): Promise<FakeBroker> {
  let next = 0;
  const broker = await FakeBroker.start((request, self) => {
    if (request.apiKey === ApiKey.OffsetCommit) {
      const errorCode = commitErrors.shift() ?? 0;
      return {
        throttleTimeMs: 0,
        topics: request.body.topics.map((t: { name: string; partitions: { partitionIndex: number }[] }) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
        })),
      };
    }
    if (request.apiKey === ApiKey.Metadata) {
      const body = self.metadata(request);
      for (const t of body.topics) if (t.name === TOPIC) t.topicId = TOPIC_ID;
      return body;
    }
    if (request.apiKey !== ApiKey.ConsumerGroupHeartbeat) return undefined;
    const a = answers[Math.min(next++, answers.length - 1)] as Answer;
    const leaving = request.body.memberEpoch < 0;
    return {
      throttleTimeMs: 0,
      errorCode: a.errorCode ?? 0,
      errorMessage: null,
      memberId: request.body.memberId,
      memberEpoch: leaving ? request.body.memberEpoch : (a.memberEpoch ?? 1),
      heartbeatIntervalMs: 50,
      assignment:
        a.assignment === undefined || a.assignment === null || leaving
          ? null
          : { topicPartitions: [{ topicId: TOPIC_ID, partitions: a.assignment }] },
    };
  });
  broker.topics.set(TOPIC, 3);
  return broker;
}

interface Harness {
  readonly membership: ConsumerGroupMembership;
  readonly events: string[];
  readonly subscriptions: SubscriptionState;
  close(): Promise<void>;
}

function harness(broker: FakeBroker, extra: Record<string, unknown> = {}): Harness {
  const config = resolveConfig('consumer', {
    'bootstrap.servers': broker.bootstrap,
    'group.id': 'g',
    'group.protocol': 'consumer',
    'group.remote.assignor': 'range',
    'retry.backoff.ms': 20,
    ...extra,
  }) as unknown as ConsumerConfig;
  const cluster = new Cluster(config);
  const subscriptions = new SubscriptionState();
  subscriptions.mode = 'topics';
  subscriptions.topics = new Set([TOPIC]);
  cluster.addTopics([TOPIC]);
  const events: string[] = [];
  const names = (ps: readonly TopicPartition[]) => ps.map((p) => `${p.topic}-${p.partition}`).join(',');
  const membership = new ConsumerGroupMembership(
    config,
    cluster,
    subscriptions,
    () => ({
      onPartitionsAssigned: (ps) => void events.push(`assigned [${names(ps)}]`),
      onPartitionsRevoked: (ps) => void events.push(`revoked [${names(ps)}]`),
      onPartitionsLost: (ps) => void events.push(`lost [${names(ps)}]`),
    }),
    { commitBeforeRevoke: async () => {}, onAssignmentChange: () => {}, wakeup: () => {} },
  );
  return {
    membership,
    events,
    subscriptions,
    close: async () => {
      await membership.close();
      cluster.close();
    },
  };
}

function heartbeats(broker: FakeBroker): ReceivedRequest[] {
  return broker.named('ConsumerGroupHeartbeat');
}

async function until(what: string, check: () => boolean, membership?: ConsumerGroupMembership): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await membership?.poll();
    await new Promise((r) => setTimeout(r, 10));
  }
}

function owned(h: Harness): string[] {
  return h.subscriptions.assignedPartitions.map((p) => `${p.topic}-${p.partition}`).sort();
}

test('joins with every field, takes its assignment from poll and acknowledges it, sending later only what changed', async () => {
  const broker = await scriptedCoordinator([{ memberEpoch: 1, assignment: [0, 1] }, { memberEpoch: 1 }]);
  const h = harness(broker, { 'max.poll.interval.ms': 40000, 'client.rack': 'r1' });
  try {
    await until('the assignment', () => owned(h).length === 2, h.membership);
    const join = heartbeats(broker)[0]?.body;
    assert.equal(join.memberEpoch, 0);
    assert.notEqual(join.memberId, '');
    assert.deepEqual(join.subscribedTopicNames, [TOPIC]);
    assert.equal(join.rebalanceTimeoutMs, 40000);
    assert.equal(join.serverAssignor, 'range');
    assert.equal(join.rackId, 'r1');
    assert.deepEqual(join.topicPartitions, []);
    assert.deepEqual(h.events, ['assigned [t-0,t-1]']);
    await until('the acknowledgement', () =>
      heartbeats(broker).some((r) => r.body.topicPartitions?.[0]?.partitions?.length === 2),
    );
    const ack = heartbeats(broker).find((r) => r.body.topicPartitions?.[0]?.partitions?.length === 2)?.body;
    assert.equal(ack.memberEpoch, 1);
    assert.equal(ack.memberId, join.memberId, 'the member keeps its id');
    assert.deepEqual(ack.topicPartitions, [{ topicId: TOPIC_ID, partitions: [0, 1] }]);
    assert.equal(ack.subscribedTopicNames, null, 'an unchanged subscription is not sent again');
    assert.equal(ack.rebalanceTimeoutMs, -1);
    assert.equal(h.membership.generationId, 1);
  } finally {
    await h.close();
    await broker.close();
  }
});

test('revokes what it must give up before taking what is new, and a changed subscription is sent', async () => {
  const broker = await scriptedCoordinator([
    { memberEpoch: 1, assignment: [0, 1] },
    { memberEpoch: 1 },
    { memberEpoch: 2, assignment: [1, 2] },
    { memberEpoch: 2 },
  ]);
  const h = harness(broker);
  try {
    await until('the second assignment', () => owned(h).join() === 't-1,t-2', h.membership);
    assert.deepEqual(h.events, ['assigned [t-0,t-1]', 'revoked [t-0]', 'assigned [t-2]']);
    h.subscriptions.topics = new Set([TOPIC, 'other']);
    h.membership.subscriptionChanged();
    await until('the new subscription', () =>
      heartbeats(broker).some((r) => r.body.subscribedTopicNames?.includes('other') === true),
    );
  } finally {
    await h.close();
    await broker.close();
  }
});

test('a fenced member loses its partitions and joins again at epoch 0 with the same member id', async () => {
  const broker = await scriptedCoordinator([
    { memberEpoch: 1, assignment: [0] },
    { errorCode: ErrorCode.FENCED_MEMBER_EPOCH },
    { memberEpoch: 3, assignment: [2] },
    { memberEpoch: 3 },
  ]);
  const h = harness(broker);
  try {
    await until('the new assignment', () => owned(h).join() === 't-2', h.membership);
    assert.deepEqual(h.events, ['assigned [t-0]', 'lost [t-0]', 'assigned [t-2]']);
    const joins = heartbeats(broker).filter((r) => r.body.memberEpoch === 0);
    assert.equal(joins.length, 2);
    assert.equal(joins[1]?.body.memberId, joins[0]?.body.memberId);
    assert.deepEqual(joins[1]?.body.subscribedTopicNames, [TOPIC], 'a rejoin sends every field again');
  } finally {
    await h.close();
    await broker.close();
  }
});

test('an error the application must see (UNSUPPORTED_ASSIGNOR) is thrown from poll', async () => {
  const broker = await scriptedCoordinator([{ errorCode: ErrorCode.UNSUPPORTED_ASSIGNOR }]);
  const h = harness(broker);
  try {
    await h.membership.poll();
    await until('the error', () => heartbeats(broker).length > 0);
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(
      h.membership.poll(),
      (e: { errorCode?: number }) => e.errorCode === ErrorCode.UNSUPPORTED_ASSIGNOR,
    );
  } finally {
    await h.close();
    await broker.close();
  }
});

test('close leaves with epoch -1 (dynamic) and -2 (static member)', async () => {
  for (const [extra, epoch] of [
    [{}, -1],
    [{ 'group.instance.id': 'i-1' }, -2],
  ] as const) {
    const broker = await scriptedCoordinator([{ memberEpoch: 1, assignment: [0] }, { memberEpoch: 1 }]);
    const h = harness(broker, extra);
    try {
      await until('the assignment', () => owned(h).length === 1, h.membership);
      await h.membership.revokeAll();
    } finally {
      await h.close();
      await broker.close();
    }
    const last = heartbeats(broker).at(-1)?.body;
    assert.equal(last.memberEpoch, epoch);
    assert.deepEqual(h.events, ['assigned [t-0]', 'revoked [t-0]']);
  }
});

test('a commit refused with STALE_MEMBER_EPOCH is retried with the latest epoch; FENCED_MEMBER_EPOCH loses the partitions', async () => {
  const broker = await scriptedCoordinator(
    [{ memberEpoch: 4, assignment: [0] }, { memberEpoch: 4 }],
    [ErrorCode.STALE_MEMBER_EPOCH, ErrorCode.NONE, ErrorCode.FENCED_MEMBER_EPOCH],
  );
  const h = harness(broker);
  try {
    await until('the assignment', () => owned(h).length === 1, h.membership);
    const entry = { topic: TOPIC, partition: 0, offset: 5n, leaderEpoch: -1, metadata: '' };
    await h.membership.commit([entry]);
    const commits = broker.named('OffsetCommit');
    assert.equal(commits.length, 2, 'retried once');
    assert.equal(commits[1]?.body.generationIdOrMemberEpoch, 4);
    assert.equal(commits[1]?.body.memberId, heartbeats(broker)[0]?.body.memberId);
    await assert.rejects(
      h.membership.commit([entry]),
      (e: { errorCode?: number }) => e.errorCode === ErrorCode.FENCED_MEMBER_EPOCH,
    );
    await until('the loss', () => h.events.includes('lost [t-0]'), h.membership);
  } finally {
    await h.close();
    await broker.close();
  }
});
