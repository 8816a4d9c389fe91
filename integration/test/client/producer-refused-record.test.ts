import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, KafkaError, type RecordMetadata } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { createTopic, newProducer, readRecords, startBroker, uniqueName } from './client-support.js';

describe('idempotent producer against a broker: a record refused as too large', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  it('fails with MESSAGE_TOO_LARGE; the records around it are appended in order, once, without waiting', async () => {
    const topic = uniqueName('too-large');
    await createTopic(broker.bootstrap, topic, 1, { 'max.message.bytes': '2000' });
    // The default producer: enable.idempotence=true, acks=all, 5 requests in flight.
    const producer = newProducer(broker.bootstrap);
    try {
      const big = 'x'.repeat(5000);
      // Sent in a row, so the batches behind the big record are queued or in flight with the
      // sequence numbers after it when the broker refuses it.
      const settled = await Promise.allSettled([
        producer.send({ topic, value: 'small-1' }),
        producer.send({ topic, value: big }),
        producer.send({ topic, value: 'small-2' }),
        producer.send({ topic, value: 'small-3' }),
      ]);
      const [first, refused, second, third] = settled;
      assert.equal(refused?.status, 'rejected');
      const reason = (refused as PromiseRejectedResult).reason;
      assert.ok(reason instanceof KafkaError && reason.errorName === 'MESSAGE_TOO_LARGE', String(reason));
      const acknowledged = [first, second, third].map((r) => {
        assert.equal(r?.status, 'fulfilled', r?.status === 'rejected' ? String(r.reason) : '');
        return (r as PromiseFulfilledResult<RecordMetadata>).value.offset;
      });
      assert.deepEqual(acknowledged, [0n, 1n, 2n]);
      // The numbering goes on without a gap for a record sent afterwards.
      assert.equal((await producer.send({ topic, value: 'small-4' })).offset, 3n);

      const read = await readRecords<Buffer, string>(broker.bootstrap, topic, 1, 4, { valueDeserializer: 'string' });
      assert.deepEqual(
        read.map((r) => [r.offset, r.value]),
        [
          [0n, 'small-1'],
          [1n, 'small-2'],
          [2n, 'small-3'],
          [3n, 'small-4'],
        ],
      );
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const [state] = await admin.describeProducers([{ topic, partition: 0 }]);
        assert.equal(state?.activeProducers.length, 1, 'one producer id and epoch: no bump was needed');
        assert.equal(state?.activeProducers[0]?.lastSequence, 3, 'the refused record gave its sequence back');
      } finally {
        await admin.close();
      }
    } finally {
      await producer.close();
    }
  });
});
