import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, it } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { tpKey } from '../../src/common/topic-partition.js';
import type { ConsumerRecord } from '../../src/consumer/consumer-record.js';
import type { RebalanceListener } from '../../src/consumer/rebalance-listener.js';
import { ClientError, ClientErrorCode, ConfigError } from '../../src/errors/client-errors.js';
import { ExactlyOnceProcessor } from '../../src/processing/exactly-once-processor.js';
import type { ProcessorEvent } from '../../src/processing/processor-diagnostics.js';
import { FakeConsumer, FakeLog, FakeProducer } from '../support/fake-processor-clients.js';

const IN = 'in';
const OUT = 'out';
const PARTITIONS = [
  { topic: IN, partition: 0 },
  { topic: IN, partition: 1 },
];

/** Two input partitions of `perPartition` records each: values `p<partition>-<i>`. */
function filledLog(perPartition: number): FakeLog {
  const log = new FakeLog();
  for (const { partition } of PARTITIONS) {
    log.append(
      IN,
      partition,
      Array.from({ length: perPartition }, (_, i) => `p${partition}-${i}`),
    );
  }
  return log;
}

const upper = (record: ConsumerRecord<string, string>) => ({ topic: OUT, value: `out-${record.value}` });

function expectedOutput(perPartition: number): string[] {
  return PARTITIONS.flatMap(({ partition }) =>
    Array.from({ length: perPartition }, (_, i) => `out-p${partition}-${i}`),
  ).sort();
}

function outputValues(log: FakeLog): string[] {
  return log.output.map((r) => r.value ?? '').sort();
}

function allCommitted(log: FakeLog, perPartition: number): boolean {
  return PARTITIONS.every((tp) => log.committed.get(tpKey(tp.topic, tp.partition)) === BigInt(perPartition));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Events the processor publishes while `body` runs. */
async function recordingEvents<T>(body: (events: ProcessorEvent[]) => Promise<T>): Promise<T> {
  const events: ProcessorEvent[] = [];
  const listener = (message: unknown) => events.push(message as ProcessorEvent);
  diagnostics.subscribe('samsa:client:processor', listener);
  try {
    return await body(events);
  } finally {
    diagnostics.unsubscribe('samsa:client:processor', listener);
  }
}

describe('ExactlyOnceProcessor (against an in-memory consumer and transactional producer)', () => {
  const created: ExactlyOnceProcessor<string, string, string, string>[] = [];
  afterEach(async () => {
    for (const p of created.splice(0)) await p.close();
  });

  function processor(
    log: FakeLog,
    transform: (record: ConsumerRecord<string, string>) => unknown,
    options: { maxRecordsPerTransaction?: number; maxPollRecords?: number; rebalanceListener?: RebalanceListener } = {},
  ) {
    const consumer = new FakeConsumer(log, PARTITIONS, options.maxPollRecords ?? 4);
    const producer = new FakeProducer(log);
    const p = new ExactlyOnceProcessor<string, string, string, string>({
      consumer,
      producer,
      topics: IN,
      transform: transform as never,
      pollTimeoutMs: 5,
      ...(options.maxRecordsPerTransaction === undefined
        ? {}
        : { maxRecordsPerTransaction: options.maxRecordsPerTransaction }),
      ...(options.rebalanceListener === undefined ? {} : { rebalanceListener: options.rebalanceListener }),
    });
    created.push(p);
    return { p, consumer, producer };
  }

  it('commits each poll as one transaction: outputs and next offsets together, every input once', async () => {
    const log = filledLog(10);
    const { p, consumer, producer } = processor(log, upper);
    await recordingEvents(async (events) => {
      const running = p.run();
      await until(() => allCommitted(log, 10), 'all offsets committed');
      await p.close();
      await running;
      assert.deepEqual(outputValues(log), expectedOutput(10));
      assert.equal(producer.initialized, 1, 'initTransactions fences older instances first');
      assert.equal(consumer.subscribed, IN);
      assert.equal(producer.commits, 5, '20 records, 4 per poll');
      assert.deepEqual(p.metrics(), {
        transactionsCommitted: 5,
        transactionsAborted: 0,
        recordsProcessed: 20,
        recordsProduced: 20,
      });
      const commits = events.filter((e) => e.event === 'commit');
      assert.equal(commits.length, 5);
      assert.deepEqual(
        commits[0]?.event === 'commit' ? commits[0].offsets.map((o) => [o.partition, o.offset]) : [],
        [
          [0, 2n],
          [1, 2n],
        ],
        'the offset after the last record of each partition',
      );
      assert.ok(events.some((e) => e.event === 'close' && e.error === undefined));
      assert.ok(producer.closed && consumer.closed, 'close() closes both clients');
    });
  });

  it('splits a poll into transactions of maxRecordsPerTransaction; zero, one or many outputs per input', async () => {
    const log = filledLog(6);
    const { p, producer } = processor(
      log,
      (record) => {
        const i = Number(record.value?.split('-')[1]);
        if (i % 3 === 0) return null;
        if (i % 3 === 1) return { topic: OUT, value: `one-${record.value}` };
        return Promise.resolve([
          { topic: OUT, value: `a-${record.value}` },
          { topic: OUT, value: `b-${record.value}` },
        ]);
      },
      { maxRecordsPerTransaction: 3, maxPollRecords: 12 },
    );
    const running = p.run();
    await until(() => allCommitted(log, 6), 'all offsets committed');
    await p.close();
    await running;
    assert.equal(producer.commits, 4, '12 records in one poll, 3 per transaction');
    const values = outputValues(log);
    assert.equal(values.length, 2 * (2 + 2 * 2), 'per partition: 2 skipped, 2 with one output, 2 with two');
    assert.equal(new Set(values).size, values.length);
  });

  it('a transform error aborts, seeks each partition back to its last committed position, and retries', async () => {
    const log = filledLog(10);
    let failed = false;
    const { p, consumer, producer } = processor(log, (record) => {
      if (record.value === 'p1-5' && !failed) {
        failed = true;
        throw new Error('transform failed once');
      }
      return upper(record);
    });
    await recordingEvents(async (events) => {
      const running = p.run();
      await until(() => allCommitted(log, 10), 'all offsets committed');
      await p.close();
      await running;
      assert.deepEqual(outputValues(log), expectedOutput(10), 'the aborted output never shows; nothing lost');
      assert.equal(producer.aborts, 1);
      assert.deepEqual(producer.settledAtAbort, [true], 'sends are acknowledged before the abort');
      // Polls of 4 alternate partitions: p1-5 is in the third poll (offsets 4 and 5 of each).
      assert.deepEqual(consumer.seeks, [
        { topic: IN, partition: 0, offset: 4n },
        { topic: IN, partition: 1, offset: 4n },
      ]);
      const abort = events.find((e) => e.event === 'abort');
      assert.equal(abort?.event === 'abort' && abort.error.message, 'transform failed once');
      assert.equal(p.metrics().transactionsAborted, 1);
    });
  });

  it('a failed send makes the commit fail: abort and retry, no duplicate', async () => {
    const log = filledLog(8);
    const { p, producer } = processor(log, upper);
    let failures = 0;
    producer.fault = (step, detail) => {
      if (step === 'send' && (detail as { value: string }).value === 'out-p0-6' && failures++ === 0) {
        return new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS, 'Produce');
      }
      return undefined;
    };
    const running = p.run();
    await until(() => allCommitted(log, 8), 'all offsets committed');
    await p.close();
    await running;
    assert.equal(producer.aborts, 1);
    assert.deepEqual(outputValues(log), expectedOutput(8));
  });

  it('a record the producer refuses before batching it (no transaction error) aborts instead of committing', async () => {
    const log = filledLog(4);
    const { p, producer } = processor(log, upper);
    let refused = 0;
    producer.fault = (step, detail) =>
      step === 'send' && (detail as { value: string }).value === 'out-p1-2' && refused++ === 0
        ? new ClientError(ClientErrorCode.ILLEGAL_STATE, 'the record is larger than max.request.size')
        : undefined;
    const running = p.run();
    await until(() => allCommitted(log, 4), 'all offsets committed');
    await p.close();
    await running;
    assert.equal(producer.aborts, 1, 'the commit would have lost out-p1-2 while committing its offset');
    assert.deepEqual(outputValues(log), expectedOutput(4));
  });

  it('only the unfinished transactions of a split poll are read again', async () => {
    const log = filledLog(6);
    let failed = false;
    const { p, consumer } = processor(
      log,
      (record) => {
        if (record.value === 'p0-3' && !failed) {
          failed = true;
          throw new Error('boom');
        }
        return upper(record);
      },
      { maxRecordsPerTransaction: 4, maxPollRecords: 12 },
    );
    const running = p.run();
    await until(() => allCommitted(log, 6), 'all offsets committed');
    await p.close();
    await running;
    // Transaction 1 (p0-0,p1-0,p0-1,p1-1) committed; transaction 2 failed on p0-3.
    assert.deepEqual(consumer.seeks, [
      { topic: IN, partition: 0, offset: 2n },
      { topic: IN, partition: 1, offset: 2n },
    ]);
    assert.deepEqual(outputValues(log), expectedOutput(6));
  });

  it('fenced (PRODUCER_FENCED at commit): run() rejects, nothing of the transaction commits, clients close', async () => {
    const log = filledLog(10);
    const { p, consumer, producer } = processor(log, upper);
    producer.fault = (step) =>
      step === 'commit' && producer.commits === 2 ? new KafkaError(ErrorCode.PRODUCER_FENCED, 'EndTxn') : undefined;
    await recordingEvents(async (events) => {
      await assert.rejects(p.run(), (error: unknown) => {
        return error instanceof KafkaError && error.errorCode === ErrorCode.PRODUCER_FENCED;
      });
      assert.equal(producer.aborts, 0, 'a fenced producer cannot abort: its successor does');
      assert.equal(log.output.length, 8, 'two transactions of 4');
      assert.ok(producer.closed && consumer.closed);
      const close = events.find((e) => e.event === 'close');
      assert.ok(close?.event === 'close' && close.error instanceof KafkaError);
    });
  });

  it('INVALID_PRODUCER_EPOCH from a send and FENCED_INSTANCE_ID from the group are fatal too', async () => {
    for (const code of [ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.FENCED_INSTANCE_ID]) {
      const log = filledLog(4);
      const { p, producer } = processor(log, upper);
      producer.fault = (step) => (step === 'sendOffsets' ? new KafkaError(code, 'fenced') : undefined);
      await assert.rejects(p.run(), (error: unknown) => error instanceof KafkaError && error.errorCode === code);
      assert.equal(producer.aborts, 0);
      assert.equal(log.output.length, 0);
    }
  });

  it("a send fenced first: run() rejects with the broker's error, not the state error that follows", async () => {
    const log = filledLog(4);
    const { p, producer } = processor(log, upper);
    producer.fault = (step) =>
      step === 'send' ? new KafkaError(ErrorCode.PRODUCER_FENCED, 'AddPartitionsToTxn') : undefined;
    await assert.rejects(
      p.run(),
      (error: unknown) => error instanceof KafkaError && error.errorCode === ErrorCode.PRODUCER_FENCED,
    );
  });

  it('an abort that fails is fatal: the outcome is unknown, so nothing is sought back', async () => {
    const log = filledLog(4);
    const { p, consumer, producer } = processor(log, upper);
    producer.fault = (step) => {
      if (step === 'commit') return new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'EndTxn');
      if (step === 'abort') return new KafkaError(ErrorCode.INVALID_TXN_STATE, 'EndTxn (abort)');
      return undefined;
    };
    await assert.rejects(p.run(), /INVALID_TXN_STATE|EndTxn \(abort\)/);
    assert.deepEqual(consumer.seeks, []);
    assert.ok(consumer.closed);
  });

  it('a poll that fails (the consumer was fenced) rejects run()', async () => {
    const log = filledLog(4);
    const { p, consumer } = processor(log, upper);
    consumer.beforePoll = () => {
      throw new KafkaError(ErrorCode.FENCED_INSTANCE_ID, 'Heartbeat');
    };
    await assert.rejects(p.run(), /FENCED_INSTANCE_ID|Heartbeat/);
  });

  it('partitions are revoked only between transactions, and the new owner continues from the committed offsets', async () => {
    const log = filledLog(10);
    const told: string[] = [];
    const { p, consumer, producer } = processor(log, upper, {
      rebalanceListener: {
        onPartitionsRevoked: (partitions) => void told.push(`revoked ${partitions.map((x) => x.partition)}`),
        onPartitionsAssigned: (partitions) => void told.push(`assigned ${partitions.map((x) => x.partition)}`),
      },
    });
    const statesAtRevoke: string[] = [];
    const revoked: number[] = [];
    consumer.beforePoll = async (c) => {
      if (c.polls === 3) await c.rebalance([{ topic: IN, partition: 0 }]);
    };
    const listener = consumer.subscribe.bind(consumer);
    consumer.subscribe = (topics, l) => {
      listener(topics, {
        ...l,
        onPartitionsRevoked: async (partitions) => {
          statesAtRevoke.push(producer.transactionState);
          revoked.push(...partitions.map((tp) => tp.partition));
          await l?.onPartitionsRevoked?.(partitions);
        },
      });
    };
    const running = p.run();
    await until(() => log.committed.get(tpKey(IN, 0)) === 10n, 'partition 0 done');
    await p.close();
    await running;
    assert.deepEqual(statesAtRevoke, ['READY'], 'no transaction open while partitions are given up');
    assert.deepEqual(revoked, [1]);
    assert.deepEqual(told, ['revoked 1', 'assigned 0'], "the application's listener is told too");
    assert.equal(log.committed.get(tpKey(IN, 1)), 4n, 'partition 1 as far as two polls went before the revocation');
    // Another member takes partition 1 over from its committed offset: still no duplicate.
    const successor = new ExactlyOnceProcessor<string, string, string, string>({
      consumer: new FakeConsumer(log, [{ topic: IN, partition: 1 }]),
      producer: new FakeProducer(log),
      topics: IN,
      transform: upper,
      pollTimeoutMs: 5,
    });
    created.push(successor);
    const second = successor.run();
    await until(() => allCommitted(log, 10), 'all offsets committed');
    await successor.close();
    await second;
    assert.deepEqual(outputValues(log), expectedOutput(10));
  });

  it('close() lets the transaction in progress commit before run() resolves', async () => {
    const log = filledLog(4);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const { p, producer } = processor(log, async (record) => {
      if (record.value === 'p0-1') {
        entered = true;
        await gate;
      }
      return upper(record);
    });
    const running = p.run();
    await until(() => entered, 'transform waiting');
    const closing = p.close();
    release();
    await closing;
    await running;
    assert.equal(producer.commits, 1);
    assert.deepEqual(outputValues(log), ['out-p0-0', 'out-p0-1', 'out-p1-0', 'out-p1-1']);
    assert.ok(producer.closed);
  });

  it('refuses clients configured for at-least-once', () => {
    const log = new FakeLog();
    const readUncommitted = new FakeConsumer(log, PARTITIONS);
    (readUncommitted.config as { isolationLevel: string }).isolationLevel = 'read_uncommitted';
    assert.throws(
      () =>
        new ExactlyOnceProcessor({
          consumer: readUncommitted,
          producer: new FakeProducer(log),
          topics: IN,
          transform: upper,
        }),
      (error: unknown) => error instanceof ConfigError && error.key === 'isolation.level',
    );
    const plain = new FakeProducer(log);
    (plain.config as { transactionalId: string | null }).transactionalId = null;
    assert.throws(
      () =>
        new ExactlyOnceProcessor({
          consumer: new FakeConsumer(log, PARTITIONS),
          producer: plain,
          topics: IN,
          transform: upper,
        }),
      (error: unknown) => error instanceof ConfigError && error.key === 'transactional.id',
    );
  });

  it('builds its clients from settings: read_committed and no auto-commit by default, contrary settings refused', async () => {
    const bootstrap = { 'bootstrap.servers': '127.0.0.1:1' };
    const built = new ExactlyOnceProcessor({
      consumer: { ...bootstrap, 'group.id': 'g' },
      producer: { ...bootstrap, 'transactional.id': 't' },
      topics: [IN],
      transform: upper,
    });
    const consumerConfig = (
      built.consumer as unknown as { config: { isolationLevel: string; enableAutoCommit: boolean } }
    ).config;
    assert.equal(consumerConfig.isolationLevel, 'read_committed');
    assert.equal(consumerConfig.enableAutoCommit, false);
    await built.close();
    for (const [key, consumer] of [
      ['isolation.level', { ...bootstrap, 'group.id': 'g', isolationLevel: 'read_uncommitted' }],
      ['enable.auto.commit', { ...bootstrap, 'group.id': 'g', 'enable.auto.commit': 'true' }],
      ['group.id', { ...bootstrap }],
    ] as const) {
      assert.throws(
        () =>
          new ExactlyOnceProcessor({
            consumer,
            producer: { ...bootstrap, 'transactional.id': 't' },
            topics: IN,
            transform: upper,
          }),
        (error: unknown) => error instanceof ConfigError && error.key === key,
      );
    }
    assert.throws(
      () =>
        new ExactlyOnceProcessor({
          consumer: { ...bootstrap, 'group.id': 'g' },
          producer: bootstrap,
          topics: IN,
          transform: upper,
        }),
      (error: unknown) => error instanceof ConfigError && error.key === 'transactional.id',
    );
  });
});
