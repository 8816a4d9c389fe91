/**
 * KafkaTemplate against a real broker, following the second seed's use of Spring's template: the
 * positional send variants, a counting ProducerListener, executeInTransaction that aborts or
 * commits, and the refusal of sends outside a transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, type RecordMetadata } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { KafkaTemplate, NO_TRANSACTION_MESSAGE } from '../../src/template/kafka-template.js';
import { LoggingProducerListener, type ProducerListener } from '../../src/template/producer-listener.js';
import type { SendResult } from '../../src/template/send-result.js';

class UserBean {
  constructor(
    readonly name: string,
    readonly age: number,
  ) {}
}
type User = { name: string; age: number };

let broker: BrokerProcess;
const config = () => ({
  'bootstrap.servers': broker.bootstrap,
  'key.serializer': 'string',
  'value.serializer': 'json',
  'linger.ms': 0,
});

async function createTopics(topics: Record<string, number>): Promise<void> {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    await admin.createTopics(Object.entries(topics).map(([name, numPartitions]) => ({ name, numPartitions })));
  } finally {
    await admin.close();
  }
}

/** Reads `topic` from the beginning until `done` holds of what was read (or fails after 15 s). */
async function readUntil(
  topic: string,
  partitions: number,
  done: (records: ConsumerRecord<string, User>[]) => boolean,
  isolation: 'read_committed' | 'read_uncommitted' = 'read_uncommitted',
): Promise<ConsumerRecord<string, User>[]> {
  const consumer = new Consumer<string, User>({
    'bootstrap.servers': broker.bootstrap,
    'auto.offset.reset': 'earliest',
    'isolation.level': isolation,
    'fetch.max.wait.ms': 100,
    'key.deserializer': 'string',
    'value.deserializer': 'json',
  });
  try {
    consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
    const out: ConsumerRecord<string, User>[] = [];
    const deadline = Date.now() + 15_000;
    while (!done(out)) {
      if (Date.now() > deadline) throw new Error(`read only ${out.length} records of ${topic} (${isolation})`);
      out.push(...(await consumer.poll({ timeoutMs: 300 })));
    }
    return out;
  } finally {
    await consumer.close();
  }
}

const names = (records: readonly ConsumerRecord<string, User>[]) => records.map((r) => r.value?.name);

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('KafkaTemplate', { timeout: 120_000 }, () => {
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'group.initial.rebalance.delay.ms': 0 } });
    await createTopics({ 'test-topic': 2, 'default-topic': 2, 'listener-topic': 1, 'tx-topic': 1, 'test-topic-1': 1 });
  });
  after(async () => {
    await broker?.stop();
  });

  it('every send variant lands with its partition, key, timestamp and headers', async () => {
    const template = new KafkaTemplate<string, UserBean>(config(), { defaultTopic: 'default-topic' });
    const logged: [RecordMetadata, string][] = [];
    // The seed's future.addCallback(sendResult -> log(sendResult.getRecordMetadata(), sendResult.getProducerRecord())).
    const log = (r: SendResult<string, UserBean>) => {
      logged.push([r.recordMetadata, r.producerRecord.topic]);
      return r;
    };
    const timestamp = Date.now() - 60_000; // The seed passes DateUtil.currentSeconds(); Kafka timestamps are ms.
    try {
      const results = await Promise.all([
        template.send('test-topic', new UserBean('kun', 18)).then(log),
        template.send('test-topic', 'key-1', new UserBean('Jack', 20)).then(log),
        template.send('test-topic', 0, '', new UserBean('Jane', 21)).then(log),
        template.send('test-topic', 0, timestamp, '', new UserBean('Lot', 33)).then(log),
        template.send({
          topic: 'test-topic',
          partition: 1,
          key: 'rec',
          value: new UserBean('Rec', 40),
          headers: { h: 'v' },
        }),
        template.sendDefault(new UserBean('d1', 1)),
        template.sendDefault('dk', new UserBean('d2', 2)),
        template.sendDefault(1, 'dk', new UserBean('d3', 3)),
        template.sendDefault(1, timestamp, 'dk', new UserBean('d4', 4)),
      ]);
      assert.equal(logged.length, 4);
      assert.deepEqual(results[1]?.producerRecord, {
        topic: 'test-topic',
        key: 'key-1',
        value: new UserBean('Jack', 20),
      });
      assert.equal(results[3]?.recordMetadata.timestamp, timestamp);

      const sent = await readUntil('test-topic', 2, (r) => r.length >= 5);
      const byName = new Map(sent.map((r) => [r.value?.name, r]));
      assert.deepEqual(byName.get('kun')?.value, { name: 'kun', age: 18 });
      assert.equal(byName.get('kun')?.key, null);
      assert.equal(byName.get('Jack')?.key, 'key-1');
      assert.equal(byName.get('Jane')?.partition, 0);
      assert.equal(byName.get('Jane')?.key, '');
      assert.equal(byName.get('Lot')?.partition, 0);
      assert.equal(byName.get('Lot')?.timestamp, timestamp);
      assert.equal(byName.get('Rec')?.partition, 1);
      assert.deepEqual(
        byName.get('Rec')?.headers.map((h) => [h.key, h.value?.toString()]),
        [['h', 'v']],
      );
      // Each SendResult names where its record was written.
      for (const result of results.slice(0, 5)) {
        const record = byName.get((result.producerRecord.value as UserBean).name);
        assert.equal(record?.partition, result.recordMetadata.partition);
        assert.equal(record?.offset, result.recordMetadata.offset);
      }

      const defaults = await readUntil('default-topic', 2, (r) => r.length >= 4);
      const d = new Map(defaults.map((r) => [r.value?.name, r]));
      assert.equal(d.get('d1')?.key, null);
      assert.equal(d.get('d2')?.key, 'dk');
      assert.equal(d.get('d3')?.partition, 1);
      assert.equal(d.get('d4')?.partition, 1);
      assert.equal(d.get('d4')?.timestamp, timestamp);
    } finally {
      await template.close();
    }
  });

  it('sendDefault without a default topic is refused', async () => {
    const template = new KafkaTemplate<string, UserBean>(config());
    assert.throws(() => template.sendDefault(new UserBean('x', 1)), /sendDefault needs a defaultTopic/);
    await template.close();
    assert.throws(() => template.send('test-topic', new UserBean('x', 1)), { code: 'SAMSA_ERR_CLOSED' });
  });

  it('the ProducerListener counts successes and failures; an un-awaited failure goes only to it', async () => {
    let successCounter = 0;
    let errorCounter = 0;
    const listener: ProducerListener<string, UserBean> = {
      onSuccess: () => successCounter++,
      onError: (_record, metadata) => {
        assert.equal(metadata, null);
        errorCounter++;
      },
    };
    const template = new KafkaTemplate<string, UserBean>({ ...config(), 'max.request.size': 2048 });
    template.setProducerListener(listener);
    try {
      const outcomes = await Promise.allSettled([
        template.send('listener-topic', 'a', new UserBean('a', 1)),
        template.send('listener-topic', 'b', new UserBean('b', 2)),
        template.send('listener-topic', 99, 'c', new UserBean('c', 3)),
        template.send('listener-topic', 'd', new UserBean('d'.repeat(5000), 4)),
        template.send('listener-topic', 'e', new UserBean('e', 5)),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled'],
      );
      assert.match(String((outcomes[2] as PromiseRejectedResult).reason), /partition 99 .* does not exist/);
      assert.match(String((outcomes[3] as PromiseRejectedResult).reason), /larger than max\.request\.size/);
      assert.equal(successCounter, 3);
      assert.equal(errorCounter, 2);

      // Fire and forget, as the seed does: the rejection must not be unhandled (that would end the run).
      template.send('listener-topic', 99, 'f', new UserBean('f', 6));
      await waitFor(() => errorCounter === 3, 'the listener to see the third failure');
    } finally {
      await template.close();
    }
  });

  it('LoggingProducerListener (the default) logs failures with contents cut to maxContentLogged', async () => {
    const lines: string[] = [];
    const template = new KafkaTemplate<string, UserBean>(config(), {
      producerListener: new LoggingProducerListener({ maxContentLogged: 10, log: (message) => lines.push(message) }),
    });
    try {
      await template.send('listener-topic', 'ok', new UserBean('ok', 1));
      await assert.rejects(template.send('listener-topic', 99, 'k', new UserBean('abcdefghijklmnop', 1)));
      assert.deepEqual(lines, [
        `Exception thrown when sending a message with key='k' and payload='{"name":"a...' to topic listener-topic and partition 99:`,
      ]);
    } finally {
      await template.close();
    }
  });

  it('executeInTransaction aborts when the callback throws and commits when it returns; sends outside are refused', async () => {
    const template = new KafkaTemplate<string, UserBean>(config(), { transactionIdPrefix: 'tx-' });
    const failure = new Error('RuntimeException');
    try {
      assert.equal(template.isTransactional(), true);
      assert.equal(template.inTransaction(), false);
      assert.throws(() => template.send('tx-topic', 'key-1', new UserBean('out', 1)), {
        code: 'SAMSA_ERR_ILLEGAL_STATE',
        message: NO_TRANSACTION_MESSAGE,
      });
      assert.match(
        NO_TRANSACTION_MESSAGE,
        /^No transaction is in process; possible solutions: run the template operation within the scope of a template\.executeInTransaction\(\) operation/,
      );
      let sentAfterThrow = false;
      await assert.rejects(
        template.executeInTransaction(async (ops) => {
          assert.equal(ops.inTransaction(), true);
          await ops.send('tx-topic', 'T1', new UserBean('T1', 1));
          await ops.send('tx-topic', 'T2', new UserBean('T2', 2));
          if (failure !== undefined) throw failure;
          sentAfterThrow = true;
          await ops.send('tx-topic', 'T3', new UserBean('T3', 3));
          return true;
        }),
        (error) => error === failure,
      );
      assert.equal(sentAfterThrow, false);
      const committed = await template.executeInTransaction(async (ops) => {
        await ops.send('tx-topic', 'C1', new UserBean('C1', 1));
        // The template itself joins the transaction too: it is the same async context.
        await template.send('tx-topic', 'C2', new UserBean('C2', 2));
        return true;
      });
      assert.equal(committed, true);

      template.setAllowNonTransactional(true);
      await template.send('tx-topic', 'key-1', new UserBean('non-tx', 1));
      template.setAllowNonTransactional(false);
      assert.throws(() => template.send('tx-topic', 'key-1', new UserBean('out', 1)), {
        message: NO_TRANSACTION_MESSAGE,
      });

      // Read up to the last record: the aborted ones come before it, so had they been visible they would be here.
      const visible = await readUntil('tx-topic', 1, (r) => names(r).includes('non-tx'), 'read_committed');
      assert.deepEqual(names(visible), ['C1', 'C2', 'non-tx']);
      const all = await readUntil('tx-topic', 1, (r) => names(r).includes('non-tx'), 'read_uncommitted');
      assert.deepEqual(names(all), ['T1', 'T2', 'C1', 'C2', 'non-tx'], 'the aborted records were written');
    } finally {
      await template.close();
    }
  });

  it('queues concurrent transactions, keeps other contexts out of them and refuses nested ones', async () => {
    // A transactional.id in the config is taken as the prefix, as Spring's producer factory does.
    const template = new KafkaTemplate<string, UserBean>({ ...config(), 'transactional.id': 'queued-' });
    assert.equal(template.isTransactional(), true);
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    try {
      const first = template.executeInTransaction(async (ops) => {
        await ops.send('test-topic-1', 'q0', new UserBean('q0', 0));
        assert.throws(
          () => ops.executeInTransaction(() => 1),
          /Nested calls to 'executeInTransaction' are not allowed/,
        );
        await gate;
        return 0;
      });
      const others = Array.from({ length: 5 }, (_, i) =>
        template.executeInTransaction(async (ops) => {
          maxActive = Math.max(maxActive, ++active);
          await ops.send('test-topic-1', `q${i + 1}`, new UserBean(`q${i + 1}`, i + 1));
          await new Promise((resolve) => setImmediate(resolve));
          active--;
          return i + 1;
        }),
      );
      // While `first` is open, code outside it is not in a transaction and may not send.
      await waitFor(() => template.metrics().recordsSent === 1, 'the first transaction to send');
      assert.equal(template.inTransaction(), false);
      assert.throws(() => template.send('test-topic-1', new UserBean('out', 0)), { message: NO_TRANSACTION_MESSAGE });
      assert.throws(() =>
        template.sendOffsetsToTransaction([], { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null }),
      );
      release();
      assert.deepEqual(await Promise.all([first, ...others]), [0, 1, 2, 3, 4, 5]);
      assert.equal(maxActive, 1);
      const visible = await readUntil('test-topic-1', 1, (r) => r.length >= 6, 'read_committed');
      assert.deepEqual(names(visible), ['q0', 'q1', 'q2', 'q3', 'q4', 'q5']);
    } finally {
      release();
      await template.close();
    }
  });

  it('sendOffsetsToTransaction commits consumed offsets with the transaction', async () => {
    const template = new KafkaTemplate<string, UserBean>(config(), { transactionIdPrefix: 'offsets-' });
    const consumer = new Consumer({ 'bootstrap.servers': broker.bootstrap, 'group.id': 'offsets-group' });
    try {
      await template.executeInTransaction(async (ops) => {
        await ops.send('tx-topic', 'o', new UserBean('o', 1));
        await ops.sendOffsetsToTransaction(
          [{ topic: 'test-topic', partition: 0, offset: 2n }],
          consumer.groupMetadata(),
        );
      });
      const [committed] = await consumer.committed([{ topic: 'test-topic', partition: 0 }]);
      assert.equal(committed?.offset, 2n);
    } finally {
      await consumer.close();
      await template.close();
    }
  });

  it('builds its producers lazily: a template needs no broker until it sends', async () => {
    const template = new KafkaTemplate<string, UserBean>(
      { ...config(), 'bootstrap.servers': '127.0.0.1:1' },
      { transactionIdPrefix: 'lazy-' },
    );
    assert.equal(template.isTransactional(), true);
    await template.close();
  });

  it('executeInTransaction on a non-transactional template is refused', async () => {
    const template = new KafkaTemplate<string, UserBean>(config());
    assert.equal(template.isTransactional(), false);
    assert.throws(() => template.executeInTransaction(() => 1), /not transactional/);
    await template.close();
  });
});
