/**
 * kafka-reassign-partitions.sh against a 4-broker ZooKeeper cluster (KafkaCluster: real ZooKeeper,
 * four broker processes; brokers 0 and 1 in rack a, 2 in rack b, 3 without a rack), output
 * compared line by line with what Kafka 3.x's ReassignPartitionsCommand prints:
 * - --generate: "Current partition replica assignment" and "Proposed partition reassignment
 *   configuration", each followed by a `{"version":1,"partitions":[...]}` line; the proposal is a
 *   valid placement over the listed brokers (rack-aware when they all have racks).
 * - --execute prints the rollback JSON, sets the throttles (topic replica lists, broker rates, read
 *   back with DescribeConfigs) and starts the moves; --verify follows them to "is completed." and
 *   then clears the throttles; records produced before and during the move are all still there.
 * - a move held up by a paused broker: "is still in progress.", --list, --execute refused without
 *   --additional, --cancel.
 * - usage errors and failures: Kafka's messages, exit status 1, nothing on stdout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KafkaZkClient } from '@samsa/broker';
import { Admin, type ConfigDescription } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { bootstrapOf, controllerId, describeTopic, eventually, zkClient } from '../cluster/cluster-support.js';
import { assertNoLossNoDuplicates, readAllPartitions, startSamsaProducer } from '../cluster/fault-support.js';
import { script } from './cli-support.js';

interface ReassignmentJson {
  version: number;
  partitions: { topic: string; partition: number; replicas: number[]; log_dirs: string[] }[];
}

const RATE = '50000000';
const THROTTLE_CONFIGS = [
  'leader.replication.throttled.replicas',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.rate',
  'follower.replication.throttled.rate',
];

describe('kafka-reassign-partitions.sh against a 4-broker ZooKeeper cluster', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;
  let admin: Admin;
  const dir = mkdtempSync(join(tmpdir(), 'samsa-reassign-'));
  const file = (content: unknown) => {
    const path = join(dir, uniqueName('f'));
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const reassign = (...args: string[]) => script('kafka-reassign-partitions.sh', args);
  const assignment = (partitions: { topic: string; partition: number; replicas: number[] }[]) =>
    JSON.stringify({
      version: 1,
      partitions: partitions.map((p) => ({ ...p, log_dirs: p.replicas.map(() => 'any') })),
    });

  /** The throttle configs set on a topic or broker (dynamic, not defaults), by name. */
  async function throttles(type: 'topic' | 'broker', name: string): Promise<Record<string, string>> {
    const [description] = (await admin.describeConfigs([{ type, name }])) as ConfigDescription[];
    return Object.fromEntries(
      (description?.configs ?? [])
        .filter((c) => THROTTLE_CONFIGS.includes(c.name) && !c.isDefault)
        .map((c) => [c.name, c.value ?? '']),
    );
  }

  async function createTopic(topic: string, replicas: Record<number, number[]>): Promise<void> {
    await admin.createTopics([{ name: topic, assignments: replicas }]);
    await eventually(
      async () => (await describeTopic(cluster.bootstrap, topic))?.partitions.every((p) => p.leader >= 0),
      10000,
      `${topic} to have leaders`,
    );
  }

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 4,
      properties: { 'replica.lag.time.max.ms': 3000 },
      brokerProperties: { 0: { 'broker.rack': 'a' }, 1: { 'broker.rack': 'a' }, 2: { 'broker.rack': 'b' } },
    });
    zk = await zkClient(cluster);
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  });
  after(async () => {
    await admin?.close();
    zk?.close();
    await cluster?.close();
  });

  test('--generate proposes a placement over the listed brokers, rack-aware unless told not to', async () => {
    const topic = uniqueName('gen');
    await createTopic(topic, { 0: [0, 1], 1: [1, 2], 2: [2, 3], 3: [3, 0] });
    const topicsFile = file({ topics: [{ topic }], version: 1 });
    const generate = (...args: string[]) =>
      reassign(
        '--bootstrap-server',
        cluster.bootstrap,
        '--generate',
        '--topics-to-move-json-file',
        topicsFile,
        ...args,
      );
    const proposal = (stdout: string): ReassignmentJson => {
      const lines = stdout.split('\n');
      assert.equal(lines.length, 6, stdout);
      assert.deepEqual(
        [lines[0], lines[1], lines[2], lines[3], lines[5]],
        [
          'Current partition replica assignment',
          assignment([
            { topic, partition: 0, replicas: [0, 1] },
            { topic, partition: 1, replicas: [1, 2] },
            { topic, partition: 2, replicas: [2, 3] },
            { topic, partition: 3, replicas: [3, 0] },
          ]),
          '',
          'Proposed partition reassignment configuration',
          '',
        ],
      );
      const proposed = JSON.parse(lines[4] ?? '') as ReassignmentJson;
      assert.equal(proposed.version, 1);
      assert.deepEqual(
        proposed.partitions.map((p) => [p.topic, p.partition, p.log_dirs]),
        [0, 1, 2, 3].map((partition) => [topic, partition, ['any', 'any']]),
      );
      for (const p of proposed.partitions) assert.equal(new Set(p.replicas).size, 2, `${p.replicas}`);
      return proposed;
    };

    // Broker 3 has no rack: without rack awareness, replicas go round-robin over 1, 2 and 3.
    const [unaware, mixed, aware] = await Promise.all([
      generate('--broker-list', '1,2,3', '--disable-rack-aware'),
      generate('--broker-list', '0,1,2,3'),
      generate('--broker-list', '0,1,2'),
    ]);
    assert.equal(unaware.code, 0, unaware.stderr);
    const spread = proposal(unaware.stdout).partitions;
    assert.ok(
      spread.every((p) => p.replicas.every((b) => [1, 2, 3].includes(b))),
      JSON.stringify(spread),
    );
    assert.deepEqual([...new Set(spread.map((p) => p.replicas[0]))].sort(), [1, 2, 3], 'every broker leads');

    assert.equal(mixed.code, 1);
    assert.equal(mixed.stdout, '');
    assert.equal(
      mixed.stderr,
      'Error: Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.\n',
    );

    // Brokers 0 and 1 share rack a, 2 is alone in rack b: every partition has a replica in each.
    assert.equal(aware.code, 0, aware.stderr);
    for (const p of proposal(aware.stdout).partitions) {
      assert.equal(p.replicas.filter((b) => b === 2).length, 1, JSON.stringify(p));
      assert.equal(p.replicas.filter((b) => b === 0 || b === 1).length, 1, JSON.stringify(p));
    }

    // A target the partition does not have, with nothing moving: said so, and throttles cleared.
    const verified = await reassign(
      '--bootstrap-server',
      cluster.bootstrap,
      '--verify',
      '--reassignment-json-file',
      file(assignment([{ topic, partition: 0, replicas: [3, 2] }])),
    );
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(
      verified.stdout,
      [
        'Status of partition reassignment:',
        `There is no active reassignment of partition ${topic}-0, but replica set is 0,1 rather than 3,2.`,
        '',
        'Clearing broker-level throttles on brokers 0,1,2,3',
        `Clearing topic-level throttles on topic ${topic}`,
        '',
      ].join('\n'),
    );
  });

  test('--execute a generated proposal with --throttle, --verify until complete: throttles set then cleared, no record lost', async () => {
    const topic = uniqueName('move');
    await createTopic(topic, { 0: [0, 1], 1: [1, 0] });
    const producer = startSamsaProducer(cluster.bootstrap, topic, { acks: 'all', partitions: 2, prefix: 'r' });
    try {
      await eventually(() => producer.acked.length > 500, 30000, 'records before the move');

      const generated = await reassign(
        '--bootstrap-server',
        cluster.bootstrap,
        '--generate',
        '--topics-to-move-json-file',
        file({ topics: [{ topic }] }),
        '--broker-list',
        '2,3',
        '--disable-rack-aware',
      );
      assert.equal(generated.code, 0, generated.stderr);
      const proposed = JSON.parse(generated.stdout.split('\n')[4] ?? '') as ReassignmentJson;
      const target = new Map(proposed.partitions.map((p) => [p.partition, p.replicas]));
      assert.deepEqual(
        [...target.values()].map((r) => [...r].sort()),
        [
          [2, 3],
          [2, 3],
        ],
      );
      const reassignmentFile = file(proposed);

      const executed = await reassign(
        '--bootstrap-server',
        cluster.bootstrap,
        '--execute',
        '--reassignment-json-file',
        reassignmentFile,
        '--throttle',
        RATE,
      );
      assert.equal(executed.code, 0, executed.stderr);
      assert.equal(
        executed.stdout,
        [
          'Current partition replica assignment',
          '',
          assignment([
            { topic, partition: 0, replicas: [0, 1] },
            { topic, partition: 1, replicas: [1, 0] },
          ]),
          '',
          'Save this to use as the --reassignment-json-file option during rollback',
          'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.',
          `The inter-broker throttle limit was set to ${RATE} B/s`,
          `Successfully started partition reassignments for ${topic}-0,${topic}-1`,
          '',
        ].join('\n'),
      );
      // Kafka's lists: the replicas copied from lead, the new ones follow; every broker involved gets the rate.
      await eventually(
        async () => {
          const set = await throttles('topic', topic);
          return (
            set['leader.replication.throttled.replicas'] === '0:0,0:1,1:0,1:1' &&
            set['follower.replication.throttled.replicas'] === '0:2,0:3,1:2,1:3'
          );
        },
        10000,
        'the topic throttles',
      );
      for (const broker of [0, 1, 2, 3]) {
        assert.deepEqual(await throttles('broker', String(broker)), {
          'leader.replication.throttled.rate': RATE,
          'follower.replication.throttled.rate': RATE,
        });
      }

      const verify = () =>
        reassign('--bootstrap-server', cluster.bootstrap, '--verify', '--reassignment-json-file', reassignmentFile);
      const done = await eventually(
        async () => {
          const v = await verify();
          assert.equal(v.code, 0, v.stderr);
          return v.stdout.includes('is still in progress') ? undefined : v;
        },
        30000,
        'the moves to complete',
      );
      assert.equal(
        done.stdout,
        [
          'Status of partition reassignment:',
          `Reassignment of partition ${topic}-0 is completed.`,
          `Reassignment of partition ${topic}-1 is completed.`,
          '',
          'Clearing broker-level throttles on brokers 0,1,2,3',
          `Clearing topic-level throttles on topic ${topic}`,
          '',
        ].join('\n'),
      );
      await eventually(
        async () => Object.keys(await throttles('topic', topic)).length === 0,
        10000,
        'the topic throttles to go',
      );
      for (const broker of [0, 1, 2, 3]) assert.deepEqual(await throttles('broker', String(broker)), {});

      const description = await describeTopic(cluster.bootstrap, topic);
      assert.deepEqual(
        description?.partitions.map((p) => [...p.replicas]),
        [target.get(0), target.get(1)],
      );
      const afterMove = producer.acked.length;
      await eventually(() => producer.acked.length > afterMove + 200, 30000, 'records after the move');
    } finally {
      await producer.stop();
    }
    assert.equal(producer.failed(), 0);
    assertNoLossNoDuplicates(producer.acked, await readAllPartitions(cluster.bootstrap, topic, 2));
  });

  test('a move held up by a paused broker: in progress, listed, --execute refused without --additional, cancelled', async () => {
    const topic = uniqueName('held');
    // The paused broker must not be the controller, nor the broker the tool talks to.
    const controller = await controllerId(zk);
    const [x, y, z] = cluster.brokerIds.filter((id) => id !== controller) as [number, number, number];
    await createTopic(topic, { 0: [x, y] });
    const viaController = bootstrapOf(cluster, controller);
    const reassignmentFile = file(assignment([{ topic, partition: 0, replicas: [y, z] }]));
    const run = (action: string, ...args: string[]) => reassign('--bootstrap-server', viaController, action, ...args);
    cluster.pause(z);
    try {
      const executed = await run('--execute', '--reassignment-json-file', reassignmentFile);
      assert.equal(executed.code, 0, executed.stderr);
      assert.match(executed.stdout, new RegExp(`\nSuccessfully started partition reassignment for ${topic}-0\n$`));

      const verified = await run('--verify', '--reassignment-json-file', reassignmentFile);
      assert.equal(verified.code, 0, verified.stderr);
      assert.equal(
        verified.stdout,
        `Status of partition reassignment:\nReassignment of partition ${topic}-0 is still in progress.\n\n`,
      );

      const listed = await run('--list');
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(
        listed.stdout,
        `Current partition reassignments:\n${topic}-0: replicas: ${y},${z},${x}. adding: ${z}. removing: ${x}.\n`,
      );

      const again = await run('--execute', '--reassignment-json-file', reassignmentFile);
      assert.equal(again.code, 1);
      assert.equal(again.stdout, '');
      assert.equal(
        again.stderr,
        'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.\n',
      );

      // Clearing throttles would ask the paused broker too: kept for now.
      const cancelled = await run('--cancel', '--reassignment-json-file', reassignmentFile, '--preserve-throttles');
      assert.equal(cancelled.code, 0, cancelled.stderr);
      assert.equal(
        cancelled.stdout,
        `Successfully cancelled partition reassignment for: ${topic}-0\nNone of the specified partition moves are active.\n`,
      );
      assert.equal((await run('--list')).stdout, 'No partition reassignments found.\n');
    } finally {
      cluster.resume(z);
    }
    await eventually(
      async () => (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.replicas.join() === `${x},${y}`,
      20000,
      `${topic}-0 back on ${x},${y}`,
    );
    const cleared = await reassign(
      '--bootstrap-server',
      cluster.bootstrap,
      '--cancel',
      '--reassignment-json-file',
      reassignmentFile,
    );
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.equal(
      cleared.stdout,
      [
        'None of the specified partition reassignments are active.',
        'None of the specified partition moves are active.',
        'Clearing broker-level throttles on brokers 0,1,2,3',
        `Clearing topic-level throttles on topic ${topic}`,
        '',
      ].join('\n'),
    );
  });

  test("usage errors and failures: Kafka's messages, exit status 1, nothing on stdout", async () => {
    const topic = uniqueName('err');
    await createTopic(topic, { 0: [0, 1] });
    const b = cluster.bootstrap;
    const good = file(assignment([{ topic, partition: 0, replicas: [1, 2] }]));
    const cases: [string[], string | RegExp][] = [
      [
        ['--bootstrap-server', b, '--verify', '--execute', '--reassignment-json-file', good],
        'Command must include exactly one action: --generate, --execute, --verify, --cancel, --list\n',
      ],
      [['--list'], 'Please specify --bootstrap-server\n'],
      [['--bootstrap-server', b, '--execute'], 'Missing required argument "[reassignment-json-file]"\n'],
      [
        ['--bootstrap-server', b, '--generate', '--topics-to-move-json-file', good],
        'Missing required argument "[broker-list]"\n',
      ],
      [
        ['--bootstrap-server', b, '--verify', '--reassignment-json-file', good, '--throttle', '1000'],
        'Option "[throttle]" can\'t be used with action "[verify]"\n',
      ],
      [
        ['--bootstrap-server', b, '--execute', '--reassignment-json-file', good, '--throttle', 'fast'],
        "Cannot parse argument 'fast' of option throttle\n",
      ],
      [
        ['--bootstrap-server', b, '--execute', '--reassignment-json-file', file('{"partitions": [')],
        /^Error: com\.fasterxml\.jackson\.core\.JsonParseException: .+\n$/,
      ],
      [
        [
          '--bootstrap-server',
          b,
          '--execute',
          '--reassignment-json-file',
          file({ partitions: [{ topic, partition: 0 }] }),
        ],
        'Error: No such field exists: `replicas`\n',
      ],
      [
        ['--bootstrap-server', b, '--execute', '--reassignment-json-file', file({ version: 1, partitions: [] })],
        'Error: Partition reassignment list cannot be empty\n',
      ],
      [
        [
          '--bootstrap-server',
          b,
          '--execute',
          '--reassignment-json-file',
          file(assignment([{ topic: 'no-such-topic', partition: 0, replicas: [1] }])),
        ],
        'Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic no-such-topic not found.\n',
      ],
      [
        [
          '--bootstrap-server',
          b,
          '--execute',
          '--reassignment-json-file',
          file(assignment([{ topic, partition: 5, replicas: [1] }])),
        ],
        `Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Unable to find partition: ${topic}-5\n`,
      ],
      [
        [
          '--bootstrap-server',
          b,
          '--execute',
          '--reassignment-json-file',
          file(assignment([{ topic, partition: 0, replicas: [1, 9] }])),
        ],
        'Error: Unknown broker id 9\n',
      ],
      [
        [
          '--bootstrap-server',
          b,
          '--generate',
          '--topics-to-move-json-file',
          file({ topics: [{ topic: 'no-such-topic' }] }),
          '--broker-list',
          '0,1',
        ],
        'Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic no-such-topic not found.\n',
      ],
      [
        ['--bootstrap-server', b, '--generate', '--topics-to-move-json-file', good, '--broker-list', '0,1,0'],
        'Error: Broker list contains duplicate entries: [0]\n',
      ],
      [
        ['--zookeeper', cluster.zookeeperConnect, '--list'],
        '--zookeeper is not supported by kafka-reassign-partitions.sh: talk to the broker directly with --bootstrap-server localhost:9092 instead.\n',
      ],
    ];
    // A few at a time: each is a process of its own.
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4);
      const results = await Promise.all(batch.map(([args]) => reassign(...args)));
      for (const [j, result] of results.entries()) {
        const [args, expected] = batch[j] as [string[], string | RegExp];
        const what = args.join(' ');
        assert.equal(result.code, 1, `${what}: ${result.stderr}`);
        assert.equal(result.stdout, '', what);
        if (typeof expected === 'string') assert.equal(result.stderr, expected, what);
        else assert.match(result.stderr, expected, what);
      }
    }
    // None of them moved anything.
    assert.equal((await describeTopic(b, topic))?.partitions[0]?.replicas.join(), '0,1');
  });
});
