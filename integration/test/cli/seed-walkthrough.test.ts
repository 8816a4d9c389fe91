/**
 * The walkthrough of the seed documents (Kafka's quick start as Chinese tutorials tell it), run
 * through the repository's bin/kafka-*.sh wrappers from outside the repository: create `test`,
 * list it, produce three lines, consume them from the beginning in two consumers at once (both
 * also see a fourth line produced while they run), describe, grow the partitions, delete.
 *
 * Expected output is Kafka's, from its tools' source: TopicCommand prints `Created topic test.`,
 * one topic per line for --list, and for --describe a header
 * `Topic: <t>\tTopicId: <id>\tPartitionCount: <n>\tReplicationFactor: <rf>\tConfigs: <k=v,...>`
 * and one line per partition `\tTopic: <t>\tPartition: <p>\tLeader: <id>\tReplicas: <ids>\tIsr: <ids>`
 * followed by Kafka 4's `\tElr: N/A\tLastKnownElr: N/A` (what Kafka's tool prints for a broker
 * without eligible-leader-replica data); ConsoleConsumer prints each value on its own line and
 * `Processed a total of <n> messages` on stderr when it stops.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { RunningScript, script } from './cli-support.js';

const LINES = ['hello, kafka.', 'what a nice day!', "to be or not to be. that' s a question."];
const FOURTH = "I must admit, I can't help but feel a twinge of envy.";

describe('the seed walkthrough through bin/kafka-*.sh', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  });
  after(async () => {
    await broker?.close();
  });

  test('create, list, produce, consume in two consumers, describe, alter, delete', async () => {
    const b = broker.bootstrap;
    const created = await script('kafka-topics.sh', [
      '--create',
      '--bootstrap-server',
      b,
      '--replication-factor',
      '1',
      '--partitions',
      '1',
      '--topic',
      'test',
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Created topic test.\n');

    const listed = await script('kafka-topics.sh', ['--list', '--bootstrap-server', b]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.stdout.split('\n'), ['test', '']);

    // The seeds' producer uses the old --broker-list flag.
    const produced = await script(
      'kafka-console-producer.sh',
      ['--broker-list', b, '--topic', 'test'],
      `${LINES.join('\n')}\n`,
    );
    assert.equal(produced.code, 0, produced.stderr);
    assert.equal(produced.stdout, '', 'no ">" prompt when stdin is not a terminal');

    const consumerArgs = ['--bootstrap-server', b, '--topic', 'test', '--from-beginning'];
    const first = new RunningScript('kafka-console-consumer.sh', consumerArgs);
    const second = new RunningScript('kafka-console-consumer.sh', consumerArgs);
    try {
      assert.deepEqual(await first.waitForLines(3), LINES);
      assert.deepEqual(await second.waitForLines(3), LINES);
      const more = await script(
        'kafka-console-producer.sh',
        ['--bootstrap-server', b, '--topic', 'test'],
        `${FOURTH}\n`,
      );
      assert.equal(more.code, 0, more.stderr);
      assert.deepEqual(await first.waitForLines(4), [...LINES, FOURTH]);
      assert.deepEqual(await second.waitForLines(4), [...LINES, FOURTH]);
    } finally {
      const codes = await Promise.all([first.interrupt(), second.interrupt()]);
      assert.deepEqual(codes, [0, 0]);
    }
    assert.equal(first.stderr, 'Processed a total of 4 messages\n');
    assert.equal(second.stderr, 'Processed a total of 4 messages\n');

    const described = await script('kafka-topics.sh', ['--describe', '--bootstrap-server', b, '--topic', 'test']);
    assert.equal(described.code, 0, described.stderr);
    const lines = described.stdout.split('\n');
    assert.match(
      lines[0] ?? '',
      /^Topic: test\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: [^\t]*$/,
    );
    assert.deepEqual(lines.slice(1), [
      '\tTopic: test\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A',
      '',
    ]);

    const altered = await script('kafka-topics.sh', [
      '--alter',
      '--bootstrap-server',
      b,
      '--topic',
      'test',
      '--partitions',
      '3',
    ]);
    assert.equal(altered.code, 0, altered.stderr);
    assert.equal(altered.stdout, '');
    const after3 = await script('kafka-topics.sh', ['--describe', '--bootstrap-server', b, '--topic', 'test']);
    const rows = after3.stdout.trimEnd().split('\n');
    assert.match(rows[0] ?? '', /\tPartitionCount: 3\t/);
    assert.deepEqual(
      rows.slice(1),
      [0, 1, 2].map(
        (p) => `\tTopic: test\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A`,
      ),
    );

    // Partitions only grow, with Kafka's message and error name.
    const shrink = await script('kafka-topics.sh', [
      '--alter',
      '--bootstrap-server',
      b,
      '--topic',
      'test',
      '--partitions',
      '2',
    ]);
    assert.equal(shrink.code, 1);
    assert.equal(
      shrink.stderr,
      'Error while executing topic command : Topic currently has 3 partitions, which is higher than the requested 2. (INVALID_PARTITIONS)\n',
    );

    const deleted = await script('kafka-topics.sh', ['--delete', '--bootstrap-server', b, '--topic', 'test']);
    assert.equal(deleted.code, 0, deleted.stderr);
    const afterDelete = await script('kafka-topics.sh', ['--list', '--bootstrap-server', b, '--exclude-internal']);
    assert.equal(afterDelete.stdout, '\n');
  });

  test('--zookeeper on a tool that has no ZooKeeper mode gets a one-line pointer to --bootstrap-server', async () => {
    const result = await script('kafka-consumer-groups.sh', ['--zookeeper', 'localhost:2181', '--list']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      '--zookeeper is not supported by kafka-consumer-groups.sh: talk to the broker directly with --bootstrap-server localhost:9092 instead.\n',
    );
  });
});
