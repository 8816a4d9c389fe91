import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { buildEndTransactionMarkerBatch, buildRecordBatch, CompressionType, ControlRecordType } from '@samsa/protocol';
import { Consumer } from '../../src/consumer/consumer.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

/**
 * A partition log with a transaction aborted by producer 5 and one committed by producer 6,
 * interleaved with plain records, served by a fake broker's Fetch (Samsa's broker cannot write
 * transactions yet). Offsets:
 *   0   plain "a"
 *   1-2 producer 5, transactional "x1" "x2"      (aborted)
 *   3-4 producer 6, transactional "y1" "y2"      (committed)
 *   5   producer 5 ABORT marker
 *   6   producer 6 COMMIT marker
 *   7   plain "b" (gzip)
 */
function log(): Buffer {
  const t = 1_700_000_000_000;
  return Buffer.concat([
    buildRecordBatch({ baseOffset: 0, records: [{ value: Buffer.from('a'), timestamp: t }] }),
    buildRecordBatch({
      baseOffset: 1,
      producerId: 5,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
      records: [{ value: Buffer.from('x1') }, { value: Buffer.from('x2') }],
    }),
    buildRecordBatch({
      baseOffset: 3,
      producerId: 6,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
      records: [{ value: Buffer.from('y1') }, { value: Buffer.from('y2') }],
    }),
    buildEndTransactionMarkerBatch({
      baseOffset: 5,
      producerId: 5,
      producerEpoch: 0,
      marker: { type: ControlRecordType.ABORT, coordinatorEpoch: 0 },
    }),
    buildEndTransactionMarkerBatch({
      baseOffset: 6,
      producerId: 6,
      producerEpoch: 0,
      marker: { type: ControlRecordType.COMMIT, coordinatorEpoch: 0 },
    }),
    LAST_BATCH,
  ]);
}

/** The last batch alone, as a fetch from offset 7 returns it. */
const LAST_BATCH = buildRecordBatch({
  baseOffset: 7,
  compression: CompressionType.GZIP,
  records: [{ value: Buffer.from('b'), timestamp: 1_700_000_000_000 }],
});

function fetchResponse(request: ReceivedRequest, records: Buffer) {
  return {
    responses: [
      {
        topic: request.body.topics[0].topic,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            highWatermark: 8n,
            lastStableOffset: 8n,
            logStartOffset: 0n,
            // Kafka lists aborted transactions only for read_committed fetches.
            abortedTransactions: request.body.isolationLevel === 1 ? [{ producerId: 5n, firstOffset: 1n }] : null,
            records,
          },
        ],
      },
    ],
  };
}

describe('Fetcher (fake broker)', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  for (const [isolation, expected] of [
    ['read_committed', ['a', 'y1', 'y2', 'b']],
    ['read_uncommitted', ['a', 'x1', 'x2', 'y1', 'y2', 'b']],
  ] as const) {
    it(`${isolation}: control batches never reach the application${isolation === 'read_committed' ? '; aborted transactions are skipped' : ''}`, async () => {
      const records = log();
      broker = await FakeBroker.start((r) => {
        if (r.apiName === 'Fetch')
          return fetchResponse(r, r.body.topics[0].partitions[0].fetchOffset === 0n ? records : Buffer.alloc(0));
        if (r.apiName === 'ListOffsets') {
          return {
            topics: [
              {
                name: 't',
                partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1n, offset: 0n, leaderEpoch: 0 }],
              },
            ],
          };
        }
        return undefined;
      });
      broker.topics.set('t', 1);
      const consumer = new Consumer<Buffer, string>({
        'bootstrap.servers': broker.bootstrap,
        'isolation.level': isolation,
        'auto.offset.reset': 'earliest',
        valueDeserializer: 'string',
        'fetch.max.wait.ms': 10,
      });
      try {
        consumer.assign([{ topic: 't', partition: 0 }]);
        const got = [];
        while (got.length < expected.length) got.push(...(await consumer.poll({ timeoutMs: 2000 })));
        assert.deepEqual(
          got.map((r) => r.value),
          expected,
        );
        assert.deepEqual(
          got.map((r) => r.offset),
          expected.map((v) => ({ a: 0n, x1: 1n, x2: 2n, y1: 3n, y2: 4n, b: 7n })[v]),
        );
        // Past the last batch, including the control batches.
        assert.equal(await consumer.position({ topic: 't', partition: 0 }), 8n);
        const fetches = broker.named('Fetch');
        assert.equal(fetches[0]?.body.isolationLevel, isolation === 'read_committed' ? 1 : 0);
      } finally {
        await consumer.close();
      }
    });
  }

  it('drops a trailing partial batch and fetches again from the next offset', async () => {
    const full = log();
    const truncated = full.subarray(0, full.length - 10);
    let calls = 0;
    broker = await FakeBroker.start((r) => {
      if (r.apiName !== 'Fetch') return undefined;
      calls++;
      const offset = r.body.topics[0].partitions[0].fetchOffset;
      // From 0: the log cut inside its last batch (the broker filled its size limit); from 7: that batch.
      return fetchResponse(r, offset === 0n ? truncated : offset === 7n ? LAST_BATCH : Buffer.alloc(0));
    });
    broker.topics.set('t', 1);
    const consumer = new Consumer<Buffer, string>({
      'bootstrap.servers': broker.bootstrap,
      valueDeserializer: 'string',
      'isolation.level': 'read_uncommitted',
      'fetch.max.wait.ms': 10,
    });
    try {
      consumer.assign([{ topic: 't', partition: 0 }]);
      consumer.seek({ topic: 't', partition: 0 }, 0n);
      const got = [];
      while (got.length < 6) got.push(...(await consumer.poll({ timeoutMs: 2000 })));
      assert.deepEqual(
        got.map((r) => r.value),
        ['a', 'x1', 'x2', 'y1', 'y2', 'b'],
      );
      assert.ok(calls >= 2);
      assert.ok(
        broker.named('Fetch').some((f) => f.body.topics[0].partitions[0].fetchOffset === 7n),
        'fetched again from 7',
      );
    } finally {
      await consumer.close();
    }
  });
});

describe('KIP-320 validation on a leader epoch change (fake broker)', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('asks OffsetForLeaderEpoch for the epoch of its position and resets below a truncation', async () => {
    let leaderEpoch = 0;
    const records = buildRecordBatch({
      baseOffset: 0,
      partitionLeaderEpoch: 0,
      records: Array.from({ length: 8 }, (_, i) => ({ value: Buffer.from(`r${i}`) })),
    });
    broker = await FakeBroker.start((r, b) => {
      if (r.apiName === 'Metadata') {
        const m = b.metadata(r);
        for (const t of m.topics) for (const p of t.partitions) p.leaderEpoch = leaderEpoch;
        return m;
      }
      if (r.apiName === 'Fetch') {
        return fetchResponse(r, r.body.topics[0].partitions[0].fetchOffset === 0n ? records : Buffer.alloc(0));
      }
      if (r.apiName === 'OffsetForLeaderEpoch') {
        // The new leader's log: epoch 0 ended at offset 5 (offsets 5-7 were never replicated to it).
        return {
          topics: [{ topic: 't', partitions: [{ errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 5n }] }],
        };
      }
      return undefined;
    });
    broker.topics.set('t', 1);
    const consumer = new Consumer<Buffer, string>({
      'bootstrap.servers': broker.bootstrap,
      valueDeserializer: 'string',
      'isolation.level': 'read_uncommitted',
      'fetch.max.wait.ms': 10,
      'metadata.max.age.ms': 100,
    });
    try {
      const tp = { topic: 't', partition: 0 };
      consumer.assign([tp]);
      consumer.seek(tp, 0n);
      const got = [];
      while (got.length < 8) got.push(...(await consumer.poll({ timeoutMs: 2000 })));
      assert.equal(got[7]?.leaderEpoch, 0);
      assert.equal(await consumer.position(tp), 8n);
      assert.equal(broker.named('OffsetForLeaderEpoch').length, 0, 'no validation while the epoch is unchanged');
      // Leadership moves (epoch 1) to a replica that had only offsets 0-4.
      leaderEpoch = 1;
      const deadline = Date.now() + 5000;
      while (consumer.truncations === 0 && Date.now() < deadline) await consumer.poll({ timeoutMs: 100 });
      const validation = broker.named('OffsetForLeaderEpoch')[0];
      assert.equal(validation?.body.topics[0].partitions[0].leaderEpoch, 0);
      assert.equal(validation?.body.topics[0].partitions[0].currentLeaderEpoch, 1);
      assert.equal(validation?.body.replicaId, -1);
      assert.equal(consumer.truncations, 1);
      assert.equal(await consumer.position(tp), 5n);
    } finally {
      await consumer.close();
    }
  });
});
