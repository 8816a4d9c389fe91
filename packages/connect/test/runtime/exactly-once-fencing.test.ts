import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { fenceProducers } from '../../src/runtime/exactly-once-source.js';

// Zombie fencing against a real broker: after fenceProducers, a task producer of the older
// generation can no longer commit, and what it had sent is never read by read_committed readers.

let broker: BrokerProcess;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
});

after(async () => {
  await broker?.close();
});

test('fenceProducers: the zombie cannot commit and its open transaction is aborted', async () => {
  const id = 'connect-cluster-zombie-source-0';
  const zombie = new Producer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    'transactional.id': id,
    keySerializer: 'buffer',
    valueSerializer: 'buffer',
  });
  await zombie.initTransactions();
  zombie.beginTransaction();
  await zombie.send({ topic: 'fenced', key: null, value: Buffer.from('from the zombie') });

  await fenceProducers({ 'bootstrap.servers': broker.bootstrap }, [id]);

  await assert.rejects(zombie.commitTransaction());
  await zombie.close().catch(() => {});

  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    'isolation.level': 'read_committed',
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  const partitions = [{ topic: 'fenced', partition: 0 }];
  consumer.assign(partitions);
  consumer.seekToBeginning(partitions);
  const seen = [];
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) seen.push(...(await consumer.poll({ timeoutMs: 200 })));
  const [end] = await consumer.endOffsets(partitions);
  await consumer.close();
  assert.equal(seen.length, 0);
  // The record and the abort marker: the transaction ended, so the last stable offset moved past it.
  assert.equal(end?.offset, 2n);
});
