import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { buildRecordBatch, ErrorCode } from '@samsa/protocol';
import { Consumer } from '../../src/consumer/consumer.js';
import { DISCONNECT, FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

function epochResponse(request: ReceivedRequest, errorCode: number) {
  return {
    topics: [
      {
        topic: request.body.topics[0].topic,
        partitions: [{ errorCode, partition: 0, leaderEpoch: 0, endOffset: errorCode === 0 ? 10n : -1n }],
      },
    ],
  };
}

function fetchResponse(request: ReceivedRequest) {
  const offset: bigint = request.body.topics[0].partitions[0].fetchOffset;
  const records =
    offset === 3n ? buildRecordBatch({ baseOffset: 3, records: [{ value: Buffer.from('d') }] }) : Buffer.alloc(0);
  return {
    responses: [
      {
        topic: request.body.topics[0].topic,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            highWatermark: 4n,
            lastStableOffset: 4n,
            logStartOffset: 0n,
            abortedTransactions: null,
            records,
          },
        ],
      },
    ],
  };
}

/**
 * KIP-320 validation meets a leader that is down or moving (a broker killed during a rolling
 * restart): the consumer retries the validation after a backoff instead of failing poll, and
 * fetches from the validated position once the leader answers.
 */
describe('position validation (fake broker)', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  for (const [name, failure] of [
    ['the connection to the leader drops', DISCONNECT],
    ['the leader answers NOT_LEADER_OR_FOLLOWER', ErrorCode.NOT_LEADER_OR_FOLLOWER],
    ['the leader answers FENCED_LEADER_EPOCH', ErrorCode.FENCED_LEADER_EPOCH],
  ] as const) {
    it(`retries when ${name}, then fetches`, async () => {
      let failures = 2;
      broker = await FakeBroker.start((r) => {
        if (r.apiName === 'OffsetForLeaderEpoch') {
          if (failures > 0) {
            failures--;
            return failure === DISCONNECT ? DISCONNECT : epochResponse(r, failure);
          }
          return epochResponse(r, 0);
        }
        if (r.apiName === 'Fetch') return fetchResponse(r);
        return undefined;
      });
      broker.topics.set('t', 1);
      const consumer = new Consumer<Buffer, string>({
        'bootstrap.servers': broker.bootstrap,
        valueDeserializer: 'string',
        'fetch.max.wait.ms': 10,
        'retry.backoff.ms': 20,
      });
      try {
        consumer.assign([{ topic: 't', partition: 0 }]);
        consumer.seek({ topic: 't', partition: 0 }, 3n, 0);
        const got = [];
        const deadline = Date.now() + 10000;
        while (got.length === 0 && Date.now() < deadline) got.push(...(await consumer.poll({ timeoutMs: 500 })));
        assert.deepEqual(
          got.map((r) => [r.offset, r.value]),
          [[3n, 'd']],
        );
        assert.equal(broker.named('OffsetForLeaderEpoch').length, 3, 'two failed validations, then one that worked');
        // No fetch went out before the position was validated.
        const firstFetch = broker.requests.findIndex((r) => r.apiName === 'Fetch');
        const lastValidation = broker.requests.map((r) => r.apiName).lastIndexOf('OffsetForLeaderEpoch');
        assert.ok(firstFetch > lastValidation, 'fetched only after validation');
      } finally {
        await consumer.close();
      }
    });
  }
});
