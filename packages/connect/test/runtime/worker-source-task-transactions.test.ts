import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Producer, ProducerRecord, RecordMetadata } from '@samsa/client';
import type { SourceRecord } from '../../src/connector/connect-record.js';
import { type Props, SourceTask } from '../../src/connector/connector.js';
import { StringConverter } from '../../src/converters/string-converter.js';
import { ErrorReporter, errorHandlingConfig } from '../../src/runtime/error-handling.js';
import { WorkerSourceTask } from '../../src/runtime/worker-source-task.js';
import type { OffsetStore } from '../../src/storage/offset-store.js';
import { buildTransformationChain } from '../../src/transforms/transformation-chain.js';

// WorkerSourceTask under exactly-once support, with a producer that records the calls made on
// it (a unit test of the task alone; the real broker path is in distributed/exactly-once-source).

/** Polls batches of two lines, then nothing. */
class TwoLineBatches extends SourceTask {
  private next = 0;
  version(): string {
    return 'test';
  }
  start(_props: Props): void {}
  stop(): void {}
  async poll(): Promise<SourceRecord[] | null> {
    await new Promise((r) => setTimeout(r, 10));
    if (this.next >= 6) return null;
    return [0, 1].map(() => {
      const n = ++this.next;
      return { sourcePartition: { file: 'f' }, sourceOffset: { line: n }, topic: 'out', value: `line ${n}` };
    });
  }
}

function recordingProducer(calls: string[]): Producer<Buffer, Buffer> {
  const fake = {
    initTransactions: async () => void calls.push('init'),
    beginTransaction: () => void calls.push('begin'),
    commitTransaction: async () => void calls.push('commit'),
    abortTransaction: async () => void calls.push('abort'),
    close: async () => void calls.push('close'),
    sendBatch: async (records: readonly ProducerRecord<Buffer, Buffer>[]): Promise<RecordMetadata[]> => {
      for (const r of records) calls.push(`send ${r.topic} ${r.key?.toString() ?? ''} ${r.value?.toString() ?? ''}`);
      return records.map(
        (r, i) => ({ topic: r.topic, partition: 0, offset: BigInt(i), timestamp: 0 }) as RecordMetadata,
      );
    },
  };
  return fake as unknown as Producer<Buffer, Buffer>;
}

async function run(boundary: 'poll' | 'interval', intervalMs: number): Promise<{ calls: string[]; stored: number }> {
  const calls: string[] = [];
  let stored = 0;
  const offsets: OffsetStore = {
    get: () => null,
    set: () => void stored++,
    connectorOffsets: () => [],
    refresh: async () => void calls.push('refresh'),
  };
  const task = new WorkerSourceTask({
    connector: 'c',
    id: 0,
    taskClass: TwoLineBatches,
    config: {},
    keyConverter: new StringConverter(),
    valueConverter: new StringConverter(),
    keyConverterClass: StringConverter.CLASS,
    valueConverterClass: StringConverter.CLASS,
    producer: recordingProducer(calls),
    offsets,
    onTopic: () => {},
    transformations: buildTransformationChain<SourceRecord>({}),
    errors: new ErrorReporter('c', 0, errorHandlingConfig({}), undefined),
    transaction: { offsetTopic: 'connect-offsets', boundary, intervalMs },
  });
  await task.start(false);
  await new Promise((r) => setTimeout(r, 200));
  await task.stop();
  return { calls, stored };
}

const OFFSET_KEY = '["c",{"file":"f"}]';

test('poll boundary: one transaction per batch, its records then its last offset', async () => {
  const { calls, stored } = await run('poll', 0);
  assert.equal(stored, 0, 'offsets go through the transaction, not the worker’s store');
  assert.deepEqual(calls.slice(0, 2), ['init', 'refresh']);
  const batch = (a: number) => [
    'begin',
    `send out  line ${a}`,
    `send out  line ${a + 1}`,
    `send connect-offsets ${OFFSET_KEY} {"line":${a + 1}}`,
    'commit',
  ];
  assert.deepEqual(calls.slice(2), [...batch(1), ...batch(3), ...batch(5), 'close']);
});

test('interval boundary: batches share a transaction until the interval passed', async () => {
  const { calls } = await run('interval', 60_000);
  // Nothing reached the interval: the one transaction is committed when the task stops.
  assert.equal(calls.filter((c) => c === 'begin').length, 1);
  assert.equal(calls.filter((c) => c === 'commit').length, 1);
  assert.deepEqual(calls.slice(-2), ['commit', 'close']);
  assert.equal(calls.filter((c) => c.startsWith('send out')).length, 6);
});
