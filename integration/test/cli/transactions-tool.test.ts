/**
 * kafka-transactions.sh (Kafka's TransactionsCommand) against a broker started by the harness,
 * through bin/kafka-transactions.sh. Kafka's tool prints its tables with ToolsUtils.prettyPrintTable:
 * every cell padded to its column's widest value and followed by a tab, headers first —
 *   list:               TransactionalId Coordinator ProducerId TransactionState
 *   describe:           CoordinatorId TransactionalId ProducerId ProducerEpoch TransactionState
 *                       TransactionTimeoutMs CurrentTransactionStartTimeMs TransactionDurationMs TopicPartitions
 *   describe-producers: ProducerId ProducerEpoch LatestCoordinatorEpoch LastSequence LastTimestamp
 *                       CurrentTransactionStartOffset
 *   find-hanging:       Topic Partition ProducerId ProducerEpoch CoordinatorEpoch StartOffset LastTimestamp Duration(min)
 * and its failures as `<what failed>: <cause>. Enable debug logging for additional detail.`
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { script } from './cli-support.js';

const LIST_HEADER = 'TransactionalId\tCoordinator\tProducerId\tTransactionState\t';
const PRODUCERS_HEADER =
  'ProducerId\tProducerEpoch\tLatestCoordinatorEpoch\tLastSequence\tLastTimestamp\tCurrentTransactionStartOffset\t';
const HANGING_HEADER =
  'Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)\t';

/** A table's lines split into trimmed cells, after checking Kafka's layout: each cell padded to its column. */
function table(stdout: string): string[][] {
  assert.ok(stdout.endsWith('\n'), stdout);
  const lines = stdout.slice(0, -1).split('\n');
  const rows = lines.map((line) => {
    assert.ok(line.endsWith('\t'), `every cell is followed by a tab: ${JSON.stringify(line)}`);
    return line.slice(0, -1).split('\t');
  });
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').trimEnd().length)));
  for (const row of rows) {
    for (const [i, cell] of row.entries()) assert.equal(cell.length, widths[i], JSON.stringify(row));
  }
  return rows.map((r) => r.map((c) => c.trimEnd()));
}

function transactions(args: readonly string[]) {
  return script('kafka-transactions.sh', args);
}

/** `kafka-transactions.sh describe-producers` for partition 0 of `topic`. */
function describeProducers(bootstrap: string, topic: string, ...extra: string[]) {
  return transactions([
    '--bootstrap-server',
    bootstrap,
    'describe-producers',
    '--topic',
    topic,
    '--partition',
    '0',
    ...extra,
  ]);
}

describe('kafka-transactions.sh', () => {
  let broker: BrokerProcess;
  let b: string;
  let admin: Admin;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    b = broker.bootstrap;
    admin = new Admin({ 'bootstrap.servers': b });
    await admin.createTopics([
      { name: 'payments', numPartitions: 1 },
      { name: 'orders', numPartitions: 1 },
    ]);
  });
  after(async () => {
    await admin?.close();
    await broker?.close();
  });

  test('list with no transactions, describe-producers of an idempotent producer, describe of an unknown id', async () => {
    const listed = await transactions(['--bootstrap-server', b, 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout, `${LIST_HEADER}\n`);

    const producer = new Producer<string, string>({
      'bootstrap.servers': b,
      'enable.idempotence': true,
      acks: 'all',
      'value.serializer': 'string',
    });
    let producerId: number;
    let producerEpoch: number;
    try {
      await producer.sendBatch(
        Array.from({ length: 5 }, (_, i) => ({ topic: 'payments', partition: 0, value: `v${i}` })),
      );
      ({ producerId, producerEpoch } = producer.producerIdAndEpoch);
    } finally {
      await producer.close();
    }
    const described = await describeProducers(b, 'payments');
    assert.equal(described.code, 0, described.stderr);
    assert.equal(described.stdout.split('\n')[0], PRODUCERS_HEADER);
    const rows = table(described.stdout);
    assert.equal(rows.length, 2, described.stdout);
    const [id, epoch, coordinatorEpoch, lastSequence, lastTimestamp, startOffset] = rows[1] ?? [];
    assert.equal(id, String(producerId));
    assert.equal(epoch, String(producerEpoch));
    // Never in a transaction: no coordinator epoch (-1) and no open transaction (None).
    assert.equal(coordinatorEpoch, '-1');
    assert.equal(lastSequence, '4');
    assert.ok(Math.abs(Number(lastTimestamp) - Date.now()) < 60_000, `LastTimestamp ${lastTimestamp}`);
    assert.equal(startOffset, 'None');

    const onBroker = await describeProducers(b, 'payments', '--broker-id', '0');
    assert.equal(onBroker.code, 0, onBroker.stderr);
    assert.deepEqual(table(onBroker.stdout)[1], rows[1]);

    const unknown = await transactions(['--bootstrap-server', b, 'describe', '--transactional-id', 'unknown']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.equal(
      unknown.stderr,
      'Failed to describe transaction state of transactional-id `unknown`: DescribeTransactions request for ' +
        'transactionalId `unknown` failed because the ID could not be found (TRANSACTIONAL_ID_NOT_FOUND). ' +
        'Enable debug logging for additional detail.\n',
    );
  });

  test('an open transaction: list, describe, describe-producers, find-hanging, then abort by start offset', async () => {
    const producer = new Producer<string, string>({
      'bootstrap.servers': b,
      'transactional.id': 'checkout',
      'value.serializer': 'string',
      'linger.ms': 0,
    });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.sendBatch([
        { topic: 'orders', partition: 0, value: 'a' },
        { topic: 'orders', partition: 0, value: 'b' },
      ]);
      const { producerId } = producer.producerIdAndEpoch;

      const listed = await transactions(['--bootstrap-server', b, 'list']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.deepEqual(table(listed.stdout), [
        ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'],
        ['checkout', '0', String(producerId), 'Ongoing'],
      ]);

      const described = await transactions(['--bootstrap-server', b, 'describe', '--transactional-id', 'checkout']);
      assert.equal(described.code, 0, described.stderr);
      const [header, row] = table(described.stdout);
      assert.deepEqual(header, [
        'CoordinatorId',
        'TransactionalId',
        'ProducerId',
        'ProducerEpoch',
        'TransactionState',
        'TransactionTimeoutMs',
        'CurrentTransactionStartTimeMs',
        'TransactionDurationMs',
        'TopicPartitions',
      ]);
      const [coordinator, id, pid, , state, timeoutMs, startMs, durationMs, partitions] = row ?? [];
      assert.deepEqual(
        [coordinator, id, pid, state, timeoutMs, partitions],
        ['0', 'checkout', String(producerId), 'Ongoing', '60000', 'orders-0'],
      );
      assert.ok(Math.abs(Number(startMs) - Date.now()) < 60_000, `start ${startMs}`);
      assert.ok(Number(durationMs) >= 0, `duration ${durationMs}`);

      const producers = await describeProducers(b, 'orders');
      assert.equal(producers.code, 0, producers.stderr);
      const open = table(producers.stdout).find((r) => r[0] === String(producerId));
      assert.equal(open?.[5], '0', 'the transaction starts at offset 0');

      // Open for longer than a 0-minute timeout, but its coordinator still counts orders-0: not hanging.
      const hanging = await transactions([
        '--bootstrap-server',
        b,
        'find-hanging',
        '--broker-id',
        '0',
        '--max-transaction-timeout',
        '0',
      ]);
      assert.equal(hanging.code, 0, hanging.stderr);
      assert.equal(hanging.stdout, `${HANGING_HEADER}\n`);

      const aborted = await transactions([
        '--bootstrap-server',
        b,
        'abort',
        '--topic',
        'orders',
        '--partition',
        '0',
        '--start-offset',
        '0',
      ]);
      assert.equal(aborted.code, 0, aborted.stderr);
      assert.equal(aborted.stdout, '');
      const after = await describeProducers(b, 'orders');
      assert.equal(table(after.stdout).find((r) => r[0] === String(producerId))?.[5], 'None');
      const again = await transactions([
        '--bootstrap-server',
        b,
        'abort',
        '--topic',
        'orders',
        '--partition',
        '0',
        '--start-offset',
        '0',
      ]);
      assert.equal(again.code, 1);
      assert.equal(again.stderr, 'Could not find any open transactions starting at offset 0 on partition orders-0\n');
    } finally {
      await producer.close({ timeoutMs: 1000 });
    }
  });

  // Last: the id it leaves behind would show in the tests' `list`.
  test('describe and describe-producers after EndTxn v5 commits: the epoch bumped at each one', async () => {
    const producer = new Producer<string, string>({
      'bootstrap.servers': b,
      'transactional.id': 'bumped',
      'value.serializer': 'string',
      'linger.ms': 0,
    });
    let producerId: number;
    let first: number;
    try {
      await producer.initTransactions();
      ({ producerId, producerEpoch: first } = producer.producerIdAndEpoch);
      for (const value of ['x', 'y']) {
        producer.beginTransaction();
        await producer.send({ topic: 'payments', partition: 0, value });
        await producer.commitTransaction();
      }
      assert.deepEqual(producer.producerIdAndEpoch, { producerId, producerEpoch: first + 2 });
    } finally {
      await producer.close();
    }
    // The coordinator completes after the markers are written, which is after it answered EndTxn.
    for (let waited = 0; (await admin.describeTransactions(['bumped']))[0]?.description?.state !== 'CompleteCommit'; ) {
      assert.ok((waited += 50) < 10_000, 'the last commit completes');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const described = await transactions(['--bootstrap-server', b, 'describe', '--transactional-id', 'bumped']);
    assert.equal(described.code, 0, described.stderr);
    const [, pid, epoch, state] = table(described.stdout)[1]?.slice(1) ?? [];
    assert.deepEqual([pid, epoch, state], [String(producerId), String(first + 2), 'CompleteCommit']);
    // The last commit's marker took the partition's producer state to the same epoch.
    const producers = await describeProducers(b, 'payments');
    assert.equal(producers.code, 0, producers.stderr);
    const row = table(producers.stdout).find((r) => r[0] === String(producerId));
    assert.deepEqual([row?.[1], row?.[5]], [String(first + 2), 'None']);
  });
});
