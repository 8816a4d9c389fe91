/**
 * KIP-932's data plane, spoken raw (ShareFetch v1, ShareAcknowledge v1) on a broker with
 * `group.share.enable=true`: two members of a share group read one partition. Each record is
 * acquired by one member at a time; accepted records are done, released ones come back with their
 * delivery count raised, rejected ones never come back, locks that expire and sessions that close
 * give records back, and the delivery count limit archives a record delivered too often. Share
 * sessions are checked as Kafka checks them (epochs, unknown sessions).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, IncrementalAlterConfigsApi, ShareAcknowledgeApi, ShareFetchApi } from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { newProducer } from '../client/client-support.js';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: raw responses are checked field by field.
type Body = any;

const TOPIC = 'share-fetch-topic';
const GROUP = 'share-fetch-group';
const LOCK_MS = 1500;
const ACCEPT = 1;
const RELEASE = 2;
const REJECT = 3;

describe('share groups (KIP-932): ShareFetch and ShareAcknowledge', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  let client: RawClient;
  let topicId: string;
  const epochs = new Map<string, number>();

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        'group.share.enable': true,
        'group.share.min.record.lock.duration.ms': 1000,
        'group.share.record.lock.duration.ms': LOCK_MS,
        'group.share.delivery.count.limit': 3,
        'num.partitions': 1,
      },
    });
    dataDir = broker.dataDir;
    client = await RawClient.connect(broker.port);
    const producer = newProducer(`127.0.0.1:${broker.port}`);
    try {
      await producer.sendBatch(Array.from({ length: 10 }, (_, i) => ({ topic: TOPIC, value: `v${i}`, partition: 0 })));
    } finally {
      await producer.close();
    }
    const configured = await client.send<Body>(IncrementalAlterConfigsApi, 1, {
      resources: [
        {
          resourceType: 32,
          resourceName: GROUP,
          configs: [{ name: 'share.auto.offset.reset', configOperation: 0, value: 'earliest' }],
        },
      ],
      validateOnly: false,
    });
    assert.equal(configured.responses[0].errorCode, ErrorCode.NONE);
    const { Admin } = await import('@samsa/client');
    const admin = new Admin({ 'bootstrap.servers': `127.0.0.1:${broker.port}` });
    try {
      const [described] = await admin.describeTopics([TOPIC]);
      topicId = described?.topicId as string;
    } finally {
      await admin.close();
    }
  });
  after(async () => {
    client?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  type Ack = [first: number, last: number, type: number];

  /** A ShareFetch of `member` in its session (opened at the first call), acknowledging `acks`. */
  async function fetch(member: string, acks: Ack[] = [], maxWaitMs = 200): Promise<Body> {
    const epoch = epochs.get(member) ?? 0;
    const response = await client.send<Body>(ShareFetchApi, 1, {
      groupId: GROUP,
      memberId: member,
      shareSessionEpoch: epoch,
      maxWaitMs,
      minBytes: 1,
      maxBytes: 1 << 20,
      maxRecords: 500,
      batchSize: 500,
      topics: [
        {
          topicId,
          partitions: [
            {
              partitionIndex: 0,
              acknowledgementBatches: acks.map(([first, last, type]) => ({
                firstOffset: BigInt(first),
                lastOffset: BigInt(last),
                acknowledgeTypes: [type],
              })),
            },
          ],
        },
      ],
      forgottenTopicsData: [],
    });
    if (response.errorCode === ErrorCode.NONE) epochs.set(member, epoch + 1);
    return response;
  }

  /** A ShareAcknowledge of `member` in its session: acknowledges without fetching. */
  async function acknowledge(member: string, acks: Ack[]): Promise<Body> {
    const epoch = epochs.get(member) as number;
    const response = await client.send<Body>(ShareAcknowledgeApi, 1, {
      groupId: GROUP,
      memberId: member,
      shareSessionEpoch: epoch,
      topics: [
        {
          topicId,
          partitions: [
            {
              partitionIndex: 0,
              acknowledgementBatches: acks.map(([first, last, type]) => ({
                firstOffset: BigInt(first),
                lastOffset: BigInt(last),
                acknowledgeTypes: [type],
              })),
            },
          ],
        },
      ],
    });
    assert.equal(response.errorCode, ErrorCode.NONE, response.errorMessage);
    epochs.set(member, epoch + 1);
    return response.responses[0].partitions[0].errorCode;
  }

  /** The acquired ranges of a response, as `first-last@count`. */
  function acquired(response: Body): string[] {
    assert.equal(response.errorCode, ErrorCode.NONE, response.errorMessage);
    return (response.responses[0]?.partitions[0]?.acquiredRecords ?? []).map(
      (r: Body) => `${r.firstOffset}-${r.lastOffset}@${r.deliveryCount}`,
    );
  }

  /** Fetches until something is acquired (locks expire on the broker's clock). */
  async function fetchUntilAcquired(member: string): Promise<string[]> {
    const deadline = Date.now() + LOCK_MS + 5000;
    for (;;) {
      const got = acquired(await fetch(member, [], 500));
      if (got.length > 0 || Date.now() > deadline) return got;
      await sleep(100);
    }
  }

  test('records are acquired by one member at a time; accept, release and reject decide what comes back', async () => {
    const first = await fetch('alice');
    assert.deepEqual(acquired(first), ['0-9@1']);
    assert.equal(first.acquisitionLockTimeoutMs, LOCK_MS);
    assert.ok(first.responses[0].partitions[0].records.length > 0, 'the record batches come with the ranges');
    assert.deepEqual(acquired(await fetch('bob')), [], 'everything is held by alice');

    const acked = await acknowledge('alice', [
      [0, 4, ACCEPT],
      [5, 6, RELEASE],
      [7, 7, REJECT],
    ]);
    assert.equal(acked, ErrorCode.NONE);
    assert.deepEqual(acquired(await fetch('bob')), ['5-6@2'], 'released records go out again, counted');
    assert.equal(await acknowledge('bob', [[8, 9, ACCEPT]]), ErrorCode.INVALID_RECORD_STATE, "alice's records");
    assert.equal(await acknowledge('bob', [[0, 0, ACCEPT]]), ErrorCode.INVALID_RECORD_STATE, 'already accepted');
    assert.equal(await acknowledge('bob', [[5, 6, ACCEPT]]), ErrorCode.NONE);
  });

  test("an expired lock gives the member's records to another; a closed session gives back what it held", async () => {
    // alice still holds 8-9 and never acknowledges them: after the lock duration bob gets them.
    assert.deepEqual(await fetchUntilAcquired('bob'), ['8-9@2']);
    // bob closes his session holding 8-9: alice gets them, counted once more.
    const closed = await client.send<Body>(ShareAcknowledgeApi, 1, {
      groupId: GROUP,
      memberId: 'bob',
      shareSessionEpoch: -1,
      topics: [],
    });
    assert.equal(closed.errorCode, ErrorCode.NONE);
    epochs.delete('bob');
    assert.deepEqual(acquired(await fetch('alice')), ['8-9@3']);
  });

  test('the delivery count limit archives records delivered too often', async () => {
    // 8-9 were delivered 3 times (group.share.delivery.count.limit=3): released now, they are done.
    const released = await fetch('alice', [[8, 9, RELEASE]]);
    assert.equal(released.responses[0].partitions[0].acknowledgeErrorCode, ErrorCode.NONE);
    assert.deepEqual(acquired(await fetch('alice')), []);
    // Were they only released, another member would get them now, or after alice's lock expired.
    assert.deepEqual(acquired(await fetch('carol')), [], 'no member gets them again');
    await sleep(LOCK_MS + 200);
    assert.deepEqual(acquired(await fetch('carol')), [], 'not even once every lock expired');
  });

  test("share sessions: Kafka's epoch errors", async () => {
    const unknown = await client.send<Body>(ShareFetchApi, 1, {
      groupId: GROUP,
      memberId: 'nobody',
      shareSessionEpoch: 4,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1024,
      maxRecords: 10,
      batchSize: 10,
      topics: [],
      forgottenTopicsData: [],
    });
    assert.equal(unknown.errorCode, ErrorCode.SHARE_SESSION_NOT_FOUND);
    epochs.set('alice', (epochs.get('alice') as number) + 5);
    const wrong = await fetch('alice');
    assert.equal(wrong.errorCode, ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    const opening = await client.send<Body>(ShareAcknowledgeApi, 1, {
      groupId: GROUP,
      memberId: 'alice',
      shareSessionEpoch: 0,
      topics: [],
    });
    assert.equal(opening.errorCode, ErrorCode.INVALID_SHARE_SESSION_EPOCH);
  });
});
