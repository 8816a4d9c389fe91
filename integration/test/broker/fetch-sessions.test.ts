/**
 * Incremental fetch sessions (KIP-227) at the protocol level: raw Fetch requests with session ids
 * and epochs against one broker, checking what Kafka answers — a new session for epoch 0, only
 * partitions with something new in incremental answers (also after a long poll), forgotten and
 * added partitions, the three session errors, closing with epoch -1, topic ids (v13+), and a
 * full cache answering session id 0.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { buildRecordBatch, CreateTopicsApi, ErrorCode, FetchApi, ProduceApi } from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded responses are checked field by field; their exact types add nothing here
type Body = Record<string, any>;

const SLOTS = 4;

interface Wanted {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: bigint;
}

describe('fetch sessions (KIP-227) at the protocol level', () => {
  let broker: BrokerProcess;
  let client: RawClient;
  /** Produces go on their own connection: a connection's requests run one at a time, as in Kafka. */
  let producer: RawClient;
  let dataDir: string;
  const topicIds = new Map<string, string>();

  before(async () => {
    broker = await BrokerProcess.start({
      properties: { 'auto.create.topics.enable': false, 'max.incremental.fetch.session.cache.slots': SLOTS },
    });
    dataDir = broker.dataDir;
    client = await RawClient.connect(broker.port);
    producer = await RawClient.connect(broker.port);
    for (const name of ['s1', 's2', 's3']) {
      const res = await client.send<Body>(CreateTopicsApi, 7, {
        topics: [{ name, numPartitions: 2, replicationFactor: 1 }],
        timeoutMs: 10000,
      });
      assert.equal(res.topics[0].errorCode, 0);
      topicIds.set(name, res.topics[0].topicId);
    }
  });
  after(async () => {
    client?.close();
    producer?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function produce(topic: string, partition: number, value = 'v'): Promise<void> {
    const res = await producer.send<Body>(ProduceApi, 9, {
      acks: -1,
      timeoutMs: 10000,
      topicData: [
        {
          name: topic,
          partitionData: [
            { index: partition, records: buildRecordBatch({ records: [{ value: Buffer.from(value) }] }) },
          ],
        },
      ],
    });
    assert.equal(res.responses[0].partitionResponses[0].errorCode, 0);
  }

  function topicsOf(wanted: readonly Wanted[], version: number): Body[] {
    const byTopic = new Map<string, Body[]>();
    for (const w of wanted) {
      const list = byTopic.get(w.topic) ?? [];
      list.push({
        partition: w.partition,
        fetchOffset: w.fetchOffset,
        partitionMaxBytes: 1 << 20,
        logStartOffset: -1n,
      });
      byTopic.set(w.topic, list);
    }
    return [...byTopic].map(([topic, partitions]) =>
      version >= 13 ? { topicId: topicIds.get(topic), partitions } : { topic, partitions },
    );
  }

  async function fetch(
    sessionId: number,
    sessionEpoch: number,
    wanted: readonly Wanted[],
    options: { forget?: { topic: string; partitions: number[] }[]; maxWaitMs?: number; version?: number } = {},
  ): Promise<Body> {
    const version = options.version ?? 12;
    return client.send<Body>(FetchApi, version, {
      replicaId: -1,
      maxWaitMs: options.maxWaitMs ?? 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId,
      sessionEpoch,
      topics: topicsOf(wanted, version),
      forgottenTopicsData: (options.forget ?? []).map((f) =>
        version >= 13 ? { topicId: topicIds.get(f.topic), partitions: f.partitions } : f,
      ),
    });
  }

  /** "topic:partition" of every partition in a response, by name or (v13+) by id. */
  function answered(res: Body): string[] {
    const names = new Map([...topicIds].map(([name, id]) => [id, name]));
    return res.responses.flatMap((t: Body) =>
      t.partitions.map((p: Body) => `${t.topic || names.get(t.topicId)}:${p.partitionIndex}`),
    );
  }

  test('a full fetch with epoch 0 opens a session; incremental fetches answer only what is new', async () => {
    await produce('s1', 0, 'a');
    const all: Wanted[] = [
      { topic: 's1', partition: 0, fetchOffset: 0n },
      { topic: 's1', partition: 1, fetchOffset: 0n },
      { topic: 's2', partition: 0, fetchOffset: 0n },
    ];
    const full = await fetch(0, 0, all);
    assert.equal(full.errorCode, 0);
    assert.ok(full.sessionId > 0, 'the broker created a session');
    assert.deepEqual(answered(full), ['s1:0', 's1:1', 's2:0']);
    assert.equal(full.responses[0].partitions[0].records.length > 0, true);
    const id = full.sessionId;

    // The fetcher moves its position on s1-0 past the record it got: only that partition is sent.
    const moved = await fetch(id, 1, [{ topic: 's1', partition: 0, fetchOffset: 1n }]);
    assert.equal(moved.errorCode, 0);
    assert.equal(moved.sessionId, id);
    assert.deepEqual(answered(moved), [], 'nothing new anywhere: an empty answer');

    await produce('s2', 0, 'b');
    const data = await fetch(id, 2, []);
    assert.deepEqual(answered(data), ['s2:0']);
    const s2 = data.responses[0].partitions[0];
    assert.equal(s2.highWatermark, 1n);
    assert.ok(s2.records.length > 0);

    // Not moving the position on s2-0 gets the same record again (the session keeps offset 0).
    const again = await fetch(id, 3, []);
    assert.deepEqual(answered(again), ['s2:0']);
    await fetch(id, 4, [{ topic: 's2', partition: 0, fetchOffset: 1n }]);

    // A long poll over the whole session wakes up with what arrived, and only that.
    const started = Date.now();
    const parked = fetch(id, 5, [], { maxWaitMs: 10000 });
    await new Promise((r) => setTimeout(r, 300));
    await produce('s1', 1, 'c');
    const woken = await parked;
    assert.ok(Date.now() - started < 8000, 'answered when the record arrived, not at the timeout');
    assert.equal(woken.sessionId, id);
    assert.deepEqual(answered(woken), ['s1:1']);
    assert.ok(woken.responses[0].partitions[0].records.length > 0);

    // An incremental fetch with nothing new waits the whole maxWaitMs, then answers empty.
    await fetch(id, 6, [{ topic: 's1', partition: 1, fetchOffset: 1n }], { maxWaitMs: 0 });
    const t0 = Date.now();
    const idle = await fetch(id, 7, [], { maxWaitMs: 400 });
    assert.ok(Date.now() - t0 >= 350);
    assert.deepEqual(answered(idle), []);

    // Forget s1-0, add s3-0: a record on s1-0 is no longer reported, one on s3-0 is.
    const changed = await fetch(id, 8, [{ topic: 's3', partition: 0, fetchOffset: 0n }], {
      forget: [{ topic: 's1', partitions: [0] }],
    });
    assert.deepEqual(
      answered(changed),
      ['s3:0'],
      'a partition joining is answered (its offsets are new to the fetcher)',
    );
    await produce('s1', 0, 'd');
    await produce('s3', 0, 'e');
    assert.deepEqual(answered(await fetch(id, 9, [])), ['s3:0']);

    // Epoch -1 closes the session: a sessionless answer, then the id is unknown.
    const closed = await fetch(id, -1, [{ topic: 's1', partition: 0, fetchOffset: 0n }]);
    assert.equal(closed.errorCode, 0);
    assert.equal(closed.sessionId, 0);
    assert.deepEqual(answered(closed), ['s1:0']);
    const gone = await fetch(id, 10, []);
    assert.equal(gone.errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    assert.equal(gone.sessionId, 0);
    assert.deepEqual(gone.responses, []);
  });

  test('session errors: unknown id, wrong epoch, topic ids switched; a session emptied is closed', async () => {
    const wanted: Wanted[] = [{ topic: 's1', partition: 0, fetchOffset: 0n }];
    assert.equal((await fetch(12345, 1, [])).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    assert.equal((await fetch(0, 3, wanted)).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);

    const id = (await fetch(0, 0, wanted)).sessionId;
    assert.ok(id > 0);
    const skipped = await fetch(id, 2, []);
    assert.equal(skipped.errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    assert.equal(skipped.sessionId, 0);
    assert.deepEqual(skipped.responses, []);
    const v13 = await fetch(id, 1, [], { version: 13 });
    assert.equal(v13.errorCode, ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    // Refused requests do not move the session on.
    const ok = await fetch(id, 1, []);
    assert.equal(ok.errorCode, 0);
    assert.equal(ok.sessionId, id);
    // A retry of the same request (same epoch) is refused.
    assert.equal((await fetch(id, 1, [])).errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);

    // Forgetting the last partition closes the session: answered without one.
    const emptied = await fetch(id, 2, [], { forget: [{ topic: 's1', partitions: [0] }] });
    assert.equal(emptied.errorCode, 0);
    assert.equal(emptied.sessionId, 0);
    assert.equal((await fetch(id, 3, [])).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  });

  test('topic ids (v13+): sessions keyed by id, forgotten by id, an unknown id answered UNKNOWN_TOPIC_ID', async () => {
    const version = 13;
    const full = await client.send<Body>(FetchApi, version, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: 0,
      topics: [
        ...topicsOf(
          [
            { topic: 's2', partition: 0, fetchOffset: 0n },
            { topic: 's2', partition: 1, fetchOffset: 0n },
          ],
          version,
        ),
        { topicId: 'x2QwFrbTRzeFbr1Q4NT0aA', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 100 }] },
      ],
      forgottenTopicsData: [],
    });
    assert.ok(full.sessionId > 0);
    assert.equal(full.responses[0].topicId, topicIds.get('s2'));
    assert.deepEqual(
      full.responses.flatMap((t: Body) => t.partitions.map((p: Body) => p.errorCode)),
      [0, 0, ErrorCode.UNKNOWN_TOPIC_ID],
    );
    const id = full.sessionId;
    // The unknown id is answered again at every fetch (errors always are); s2's partitions are not.
    const next = await fetch(id, 1, [{ topic: 's2', partition: 0, fetchOffset: 1n }], { version });
    assert.equal(next.errorCode, 0);
    assert.deepEqual(
      next.responses.map((t: Body) => t.topicId),
      ['x2QwFrbTRzeFbr1Q4NT0aA'],
    );
    await produce('s2', 1, 'f');
    const withData = await fetch(id, 2, [], { version, forget: [] });
    assert.deepEqual(
      answered(withData).filter((p) => p.startsWith('s2')),
      ['s2:1'],
    );
    const forgot = await fetch(id, 3, [], { version, forget: [{ topic: 's2', partitions: [0, 1] }] });
    assert.deepEqual(
      answered(forgot).filter((p) => p.startsWith('s2')),
      [],
    );
    assert.equal((await fetch(id, -1, [], { version })).sessionId, 0);
  });

  test(`a full cache (${SLOTS} slots) answers epoch 0 with session id 0 and every partition`, async () => {
    const one: Wanted[] = [{ topic: 's3', partition: 1, fetchOffset: 0n }];
    const ids: number[] = [];
    for (let i = 0; i < SLOTS + 2; i++) {
      const res = await fetch(0, 0, one);
      assert.equal(res.errorCode, 0);
      assert.deepEqual(answered(res), ['s3:1']);
      ids.push(res.sessionId);
    }
    const created = ids.filter((id) => id !== 0);
    assert.equal(created.length, SLOTS, `only ${SLOTS} sessions fit: ${ids}`);
    assert.equal(new Set(created).size, SLOTS, 'session ids are unique');
    assert.deepEqual(ids.slice(SLOTS), [0, 0]);
    // A consumer session cannot evict young ones, even a bigger one.
    const bigger = await fetch(0, 0, [...one, { topic: 's3', partition: 0, fetchOffset: 0n }]);
    assert.equal(bigger.sessionId, 0);
    // Closing one frees its slot.
    assert.equal((await fetch(created[0] as number, -1, one)).sessionId, 0);
    assert.ok((await fetch(0, 0, one)).sessionId > 0);
  });
});
