/**
 * kafka-transactions.sh without a broker: the command line against what Kafka's TransactionsCommand
 * parser prints (its argparse4j 0.7 declarations run on the JDK gave the expected text below), and
 * each subcommand's output and errors against a stubbed admin client.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import {
  KafkaError,
  type PartitionProducers,
  type ProducerStateDescription,
  type TopicDescription,
  type TransactionDescription,
} from '@samsa/client';
import { ErrorCode } from '@samsa/protocol';
import type { TransactionsAdmin } from '../../../src/commands/transactions/transactions-admin.js';
import {
  executeTransactionsCommand,
  transactionsTool,
} from '../../../src/commands/transactions/transactions-command.js';
import { TRANSACTIONS_PROGRAM } from '../../../src/commands/transactions/transactions-program.js';
import { parseCommandLine } from '../../../src/options/argparse-subparsers.js';
import { CommandError } from '../../../src/support/command-errors.js';
import type { CommandIo } from '../../../src/support/command-io.js';
import { runTool } from '../../../src/support/tool.js';

function captureIo(): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string | Uint8Array) => (out += String(t)) },
    stderr: { write: (t: string | Uint8Array) => (err += String(t)) },
    stdin: new PassThrough(),
    interactive: false,
    stderrIsTTY: false,
    signal: new AbortController().signal,
    env: {},
    out: () => out,
    err: () => err,
  };
}

/** `kafka-transactions.sh --help`, as Kafka prints it. */
const MAIN_HELP = [
  'usage: kafka-transactions.sh [-h] [-v] [--command-config FILE]',
  '                             --bootstrap-server host:port COMMAND ...',
  '',
  'This tool is used to analyze  the  transactional  state of producers in the',
  'cluster. It can be used to detect and recover from hanging transactions.',
  '',
  'optional arguments:',
  '  -h, --help             show this help message and exit',
  '  -v, --version          show the version  of  this  Kafka distribution and',
  '                         exit',
  '  --command-config FILE  property file containing configs  to  be passed to',
  '                         admin client',
  '  --bootstrap-server host:port',
  '                         hostname and port for  the  broker  to connect to,',
  '                         in  the   form   `host:port`    (multiple   comma-',
  '                         separated entries can be given)',
  '',
  'commands:',
  '  COMMAND',
  '    list                 list transactions',
  '    describe             describe the state of an active transactional-id',
  '    describe-producers   describe the  states  of  active  producers  for a',
  '                         topic partition',
  '    abort                abort    a    hanging     transaction    (requires',
  '                         administrative privileges)',
  '    find-hanging         find hanging transactions',
];

/** `kafka-transactions.sh --bootstrap-server b abort --help`, as Kafka prints it. */
const ABORT_HELP = [
  'usage: kafka-transactions.sh --bootstrap-server host:port abort [-h]',
  '                             --topic TOPIC --partition PARTITION',
  '                             [--start-offset START_OFFSET]',
  '                             [--producer-id PRODUCER_ID]',
  '                             [--producer-epoch PRODUCER_EPOCH]',
  '                             [--coordinator-epoch COORDINATOR_EPOCH]',
  '',
  'optional arguments:',
  '  -h, --help             show this help message and exit',
  '  --topic TOPIC          topic name',
  '  --partition PARTITION  partition number',
  '',
  'Brokers on versions 3.0 and above:',
  '  For newer brokers,  only  the  start  offset  of  the  transaction  to be',
  '  aborted is required',
  '',
  '  --start-offset START_OFFSET',
  '                         start offset of the transaction to abort',
  '',
  'Brokers on versions older than 3.0:',
  '  For older brokers, you must provide all of these arguments',
  '',
  '  --producer-id PRODUCER_ID',
  '                         producer id',
  '  --producer-epoch PRODUCER_EPOCH',
  '                         producer epoch',
  '  --coordinator-epoch COORDINATOR_EPOCH',
  '                         coordinator epoch',
];

const MAIN_USAGE = MAIN_HELP.slice(0, 2).join('\n');
const ABORT_USAGE = ABORT_HELP.slice(0, 6).join('\n');

async function runCli(argv: readonly string[]) {
  const io = captureIo();
  const code = await runTool(transactionsTool, argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('kafka-transactions.sh command line', () => {
  test('--help of the tool and of a command, on stdout', async () => {
    const main = await runCli(['--help']);
    assert.equal(main.code, 0);
    assert.equal(main.stdout, `${MAIN_HELP.join('\n')}\n`);
    // -h acts where it stands: before the missing --bootstrap-server is noticed.
    const abort = await runCli(['abort', '-h']);
    assert.equal(abort.stdout, `${ABORT_HELP.join('\n')}\n`);
  });

  test("usage errors: the failing parser's usage, then argparse4j's message (wrapped and justified)", async () => {
    const cases: [string[], string][] = [
      [['describe'], `${MAIN_USAGE}\nkafka-transactions.sh: error: argument --bootstrap-server is required`],
      [['--bootstrap-server', 'b'], `${MAIN_USAGE}\nkafka-transactions.sh: error: too few arguments`],
      [
        ['--bootstrap-server', 'b', 'frob'],
        `${MAIN_USAGE}\nkafka-transactions.sh: error: invalid choice:  'frob'  (choose from 'list',\n` +
          "'describe', 'describe-producers', 'abort', 'find-hanging')\n\nDid you mean:\n\tabort",
      ],
      [
        ['--bootstrap-server', 'b', 'abort', '--topic', 't', '--partition', '1', '--producer-epoch', '40000'],
        `${ABORT_USAGE}\nkafka-transactions.sh: error: argument --producer-epoch:  could not convert\n` +
          `'40000' to Short (Value out of range. Value:"40000" Radix:10)`,
      ],
      [
        ['--bootstrap-server', 'b', 'abort', '--topic', 't', '--partition', '1', '--producer', '1'],
        `${ABORT_USAGE}\nkafka-transactions.sh: error: ambiguous option:  --producer  could match --\n` +
          'producer-epoch, --producer-id',
      ],
    ];
    for (const [argv, expected] of cases) {
      const result = await runCli(argv);
      assert.equal(result.code, 1, argv.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, `${expected}\n`, argv.join(' '));
    }
  });

  test('abbreviations, --flag=value, negative numbers, the last of a repeated option', () => {
    const { options, command } = parseCommandLine(TRANSACTIONS_PROGRAM, [
      '--boot=b:9092',
      'describe-p',
      '--t',
      'orders',
      '--partition',
      '1',
      '--partition=2',
      '--broker',
      '-1',
    ]);
    assert.equal(command?.name, 'describe-producers');
    assert.equal(options.value('command'), 'describe-producers');
    assert.equal(options.value('bootstrap-server'), 'b:9092');
    assert.equal(options.value('topic'), 'orders');
    assert.equal(options.value('partition'), '2');
    assert.equal(options.value('broker-id'), '-1');
    const hanging = parseCommandLine(TRANSACTIONS_PROGRAM, ['--bootstrap-server', 'b', 'find-hanging', '--topic', 't']);
    assert.equal(hanging.options.value('max-transaction-timeout'), '15');
  });

  test("Kafka's checks after parsing fail before any broker is contacted", async () => {
    const abort = await runCli(['--bootstrap-server', 'localhost:1', 'abort', '--topic', 't', '--partition', '0']);
    assert.equal(abort.code, 1);
    assert.equal(
      abort.stderr,
      'The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or ' +
        'with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)\n',
    );
    const epoch = await runCli([
      '--bootstrap-server',
      'localhost:1',
      'abort',
      '--topic',
      't',
      '--partition',
      '0',
      '--producer-id',
      '5',
    ]);
    assert.equal(epoch.stderr, 'Missing required argument --producer-epoch\n');
    const scope = await runCli(['--bootstrap-server', 'localhost:1', 'find-hanging']);
    assert.equal(
      scope.stderr,
      'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search\n',
    );
    const partition = await runCli([
      '--bootstrap-server',
      'localhost:1',
      'find-hanging',
      '--broker-id',
      '0',
      '--partition',
      '1',
    ]);
    assert.equal(partition.stderr, 'The --partition argument requires --topic to be provided\n');
  });
});

// ---- the subcommands against a stubbed admin client ----

const NOW = 1_700_000_000_000;

function producer(over: Partial<ProducerStateDescription>): ProducerStateDescription {
  return {
    producerId: 1n,
    producerEpoch: 0,
    lastSequence: 0,
    lastTimestamp: BigInt(NOW),
    coordinatorEpoch: -1,
    currentTransactionStartOffset: -1n,
    ...over,
  };
}

function description(over: Partial<TransactionDescription>): TransactionDescription {
  return {
    transactionalId: 'tx',
    coordinatorId: 0,
    state: 'Ongoing',
    producerId: 1n,
    producerEpoch: 0,
    transactionTimeoutMs: 60000,
    transactionStartTimeMs: null,
    topicPartitions: [],
    ...over,
  };
}

/** An admin whose calls are recorded and answered by `impl` (unstubbed calls fail the test). */
function stubAdmin(impl: Partial<TransactionsAdmin>): TransactionsAdmin & { calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const names = [
    'listTransactions',
    'describeTransactions',
    'describeProducers',
    'abortTransaction',
    'listTopics',
    'describeTopics',
  ] as const;
  const admin = { calls } as unknown as TransactionsAdmin & { calls: [string, unknown[]][] };
  for (const name of names) {
    (admin as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      calls.push([name, args]);
      const fn = impl[name] as ((...a: unknown[]) => Promise<unknown>) | undefined;
      if (fn === undefined) throw new Error(`unexpected call ${name}`);
      return fn(...args);
    };
  }
  return admin;
}

async function execute(admin: TransactionsAdmin, argv: readonly string[]): Promise<string> {
  const io = captureIo();
  const { options } = parseCommandLine(TRANSACTIONS_PROGRAM, ['--bootstrap-server', 'b:9092', ...argv]);
  await executeTransactionsCommand(admin, options, io, () => NOW);
  return io.out();
}

async function failure(admin: TransactionsAdmin, argv: readonly string[]): Promise<string> {
  try {
    await execute(admin, argv);
  } catch (error) {
    assert.ok(error instanceof CommandError, String(error));
    return error.message;
  }
  assert.fail('the command succeeded');
}

describe('kafka-transactions.sh subcommands', () => {
  test('list: a tab after every cell, columns as wide as their widest value, the coordinator of each', async () => {
    const admin = stubAdmin({
      listTransactions: async () => [
        { transactionalId: 'payments', producerId: 12345n, state: 'Ongoing', coordinatorId: 0 },
        { transactionalId: 'b', producerId: 7n, state: 'PrepareAbort', coordinatorId: 1 },
      ],
    });
    assert.equal(
      await execute(admin, ['list', '--duration-filter', '9223372036854775807']),
      'TransactionalId\tCoordinator\tProducerId\tTransactionState\t\n' +
        'payments       \t0          \t12345     \tOngoing         \t\n' +
        'b              \t1          \t7         \tPrepareAbort    \t\n',
    );
    assert.deepEqual(admin.calls, [['listTransactions', [{ durationFilterMs: 9223372036854775807n }]]]);
    const empty = stubAdmin({ listTransactions: async () => [] });
    assert.equal(await execute(empty, ['list']), 'TransactionalId\tCoordinator\tProducerId\tTransactionState\t\n');
    assert.deepEqual(empty.calls, [['listTransactions', [{}]]]);
  });

  test('describe: the open transaction with its duration, None without one, errors as Kafka words them', async () => {
    const open = stubAdmin({
      describeTransactions: async (ids) => [
        {
          transactionalId: ids[0] as string,
          error: null,
          description: description({
            coordinatorId: 2,
            producerId: 12345n,
            producerEpoch: 15,
            transactionStartTimeMs: BigInt(NOW - 5000),
            topicPartitions: [
              { topic: 'bar', partition: 0 },
              { topic: 'bar', partition: 1 },
            ],
          }),
        },
      ],
    });
    const lines = (await execute(open, ['describe', '--transactional-id', 'foo'])).split('\n');
    assert.deepEqual(lines[1]?.split('\t'), [
      '2            ',
      'foo            ',
      '12345     ',
      '15           ',
      'Ongoing         ',
      '60000               ',
      String(NOW - 5000).padEnd('CurrentTransactionStartTimeMs'.length),
      '5000                 ',
      'bar-0,bar-1    ',
      '',
    ]);
    const idle = stubAdmin({
      describeTransactions: async () => [
        { transactionalId: 'foo', error: null, description: description({ state: 'Empty' }) },
      ],
    });
    const row = (await execute(idle, ['describe', '--transactional-id', 'foo'])).split('\n')[1]?.split('\t');
    assert.deepEqual(
      row?.map((c) => c.trim()),
      ['0', 'foo', '1', '0', 'Empty', '60000', 'None', 'None', '', ''],
    );
    const unknown = stubAdmin({
      describeTransactions: async () => [
        {
          transactionalId: 'unknown',
          description: null,
          error: new KafkaError(
            ErrorCode.TRANSACTIONAL_ID_NOT_FOUND,
            'DescribeTransactions request for transactionalId `unknown` failed because the ID could not be found',
          ),
        },
      ],
    });
    assert.equal(
      await failure(unknown, ['describe', '--transactional-id', 'unknown']),
      'Failed to describe transaction state of transactional-id `unknown`: DescribeTransactions request for ' +
        'transactionalId `unknown` failed because the ID could not be found (TRANSACTIONAL_ID_NOT_FOUND). ' +
        'Enable debug logging for additional detail.',
    );
  });

  test('describe-producers: -1 for no coordinator epoch, None for no open transaction, --broker-id', async () => {
    const admin = stubAdmin({
      describeProducers: async () => [
        {
          topic: 'foo',
          partition: 5,
          activeProducers: [
            producer({
              producerId: 12345n,
              producerEpoch: 15,
              coordinatorEpoch: 20,
              lastSequence: 1300,
              lastTimestamp: 1599509565n,
              currentTransactionStartOffset: 990n,
            }),
            producer({ producerId: 98765n, producerEpoch: 30, lastSequence: 2300, lastTimestamp: 1599509599n }),
          ],
        },
      ],
    });
    assert.equal(
      await execute(admin, ['describe-producers', '--topic', 'foo', '--partition', '5', '--broker-id', '1']),
      'ProducerId\tProducerEpoch\tLatestCoordinatorEpoch\tLastSequence\tLastTimestamp\tCurrentTransactionStartOffset\t\n' +
        '12345     \t15           \t20                    \t1300        \t1599509565   \t990                          \t\n' +
        '98765     \t30           \t-1                    \t2300        \t1599509599   \tNone                         \t\n',
    );
    assert.deepEqual(admin.calls, [['describeProducers', [[{ topic: 'foo', partition: 5 }], { brokerId: 1 }]]]);
    const failing = stubAdmin({
      describeProducers: async () => {
        throw new KafkaError(
          ErrorCode.NOT_LEADER_OR_FOLLOWER,
          'Failed to describe active producers for partition foo-5 on brokerId 2',
        );
      },
    });
    assert.equal(
      await failure(failing, ['describe-producers', '--topic', 'foo', '--partition', '5', '--broker-id', '2']),
      'Failed to describe producers for partition foo-5 on broker 2: Failed to describe active producers for ' +
        'partition foo-5 on brokerId 2 (NOT_LEADER_OR_FOLLOWER). Enable debug logging for additional detail.',
    );
  });

  test('abort: by start offset through the producer state, or with the epochs given (-1 coordinator epoch → 0)', async () => {
    const partitionState: PartitionProducers = {
      topic: 'foo',
      partition: 5,
      activeProducers: [
        producer({ producerId: 1n, currentTransactionStartOffset: 100n, coordinatorEpoch: 3 }),
        producer({ producerId: 2n, producerEpoch: 7, currentTransactionStartOffset: 200n }),
      ],
    };
    const admin = stubAdmin({ describeProducers: async () => [partitionState], abortTransaction: async () => {} });
    assert.equal(await execute(admin, ['abort', '--topic', 'foo', '--partition', '5', '--start-offset', '200']), '');
    assert.deepEqual(admin.calls[1], [
      'abortTransaction',
      [{ topic: 'foo', partition: 5, producerId: 2n, producerEpoch: 7, coordinatorEpoch: 0 }],
    ]);
    assert.equal(
      await failure(admin, ['abort', '--topic', 'foo', '--partition', '5', '--start-offset', '150']),
      'Could not find any open transactions starting at offset 150 on partition foo-5',
    );
    const old = stubAdmin({ abortTransaction: async () => {} });
    const args = ['--producer-id', '9', '--producer-epoch', '4', '--coordinator-epoch', '-1'];
    await execute(old, ['abort', '--topic', 'foo', '--partition', '5', ...args]);
    assert.deepEqual(old.calls, [
      ['abortTransaction', [{ topic: 'foo', partition: 5, producerId: 9n, producerEpoch: 4, coordinatorEpoch: 0 }]],
    ]);
    const fenced = stubAdmin({
      abortTransaction: async () => {
        throw new KafkaError(ErrorCode.TRANSACTION_COORDINATOR_FENCED, 'fenced');
      },
    });
    assert.equal(
      await failure(fenced, ['abort', '--topic', 'foo', '--partition', '5', ...args]),
      'Failed to abort transaction AbortTransactionSpec(topicPartition=foo-5, producerId=9, producerEpoch=4, ' +
        'coordinatorEpoch=0): fenced (TRANSACTION_COORDINATOR_FENCED). Enable debug logging for additional detail.',
    );
  });

  test("find-hanging: old open transactions the coordinators do not count on the partition, Kafka's columns", async () => {
    const minutes = (n: number) => BigInt(NOW - n * 60_000);
    const topics: TopicDescription[] = [
      {
        name: 'foo',
        topicId: '',
        isInternal: false,
        partitions: [0, 1, 2].map((p) => ({
          partition: p,
          leader: 1,
          leaderEpoch: 0,
          replicas: p === 2 ? [2] : [1, 2],
          isr: [1],
          offlineReplicas: [],
        })),
      },
    ];
    const admin = stubAdmin({
      listTopics: async () => ['foo'],
      describeTopics: async () => topics,
      describeProducers: async () => [
        {
          topic: 'foo',
          partition: 0,
          activeProducers: [
            // Open for 20 minutes, no transactional id listed for it: hanging.
            producer({ producerId: 30n, lastTimestamp: minutes(20), currentTransactionStartOffset: 50n }),
            // Open, but younger than the 15 minutes: not a candidate.
            producer({ producerId: 40n, lastTimestamp: minutes(3), currentTransactionStartOffset: 60n }),
            // Old but no transaction open.
            producer({ producerId: 50n, lastTimestamp: minutes(60) }),
          ],
        },
        {
          topic: 'foo',
          partition: 1,
          activeProducers: [
            // Its coordinator still counts foo-1 in the transaction: not hanging.
            producer({ producerId: 10n, lastTimestamp: minutes(16), currentTransactionStartOffset: 7n }),
            // Its coordinator has moved on (foo-1 is not in the transaction): hanging.
            producer({
              producerId: 20n,
              producerEpoch: 3,
              coordinatorEpoch: 5,
              lastTimestamp: minutes(90),
              currentTransactionStartOffset: 8n,
            }),
          ],
        },
      ],
      listTransactions: async () => [
        { transactionalId: 'a', producerId: 10n, state: 'Ongoing', coordinatorId: 0 },
        { transactionalId: 'b', producerId: 20n, state: 'Ongoing', coordinatorId: 0 },
      ],
      describeTransactions: async () => [
        {
          transactionalId: 'a',
          error: null,
          description: description({ topicPartitions: [{ topic: 'foo', partition: 1 }] }),
        },
        {
          transactionalId: 'b',
          error: null,
          description: description({ topicPartitions: [{ topic: 'foo', partition: 0 }] }),
        },
      ],
    });
    const out = await execute(admin, ['find-hanging', '--broker-id', '1']);
    assert.equal(
      out,
      'Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)\t\n' +
        `foo  \t1        \t20        \t3            \t5               \t8          \t${minutes(90)}\t90           \t\n` +
        `foo  \t0        \t30        \t0            \t-1              \t50         \t${minutes(20)}\t20           \t\n`,
    );
    const byName = new Map(admin.calls.map(([name, args]) => [name, args]));
    assert.deepEqual(byName.get('listTopics'), [{ listInternal: true }]);
    // Only the partitions with a replica on broker 1.
    assert.deepEqual(byName.get('describeProducers'), [
      [
        { topic: 'foo', partition: 0 },
        { topic: 'foo', partition: 1 },
      ],
      { brokerId: 1 },
    ]);
    assert.deepEqual(byName.get('listTransactions'), [{ producerIdFilters: [10n, 20n, 30n] }]);
    assert.deepEqual(byName.get('describeTransactions'), [['a', 'b']]);
  });

  test('find-hanging: no candidate prints the headers alone; an unknown transactional id hangs', async () => {
    const quiet = stubAdmin({ describeProducers: async () => [{ topic: 't', partition: 0, activeProducers: [] }] });
    assert.equal(
      await execute(quiet, ['find-hanging', '--topic', 't', '--partition', '0']),
      'Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)\t\n',
    );
    assert.deepEqual(quiet.calls, [['describeProducers', [[{ topic: 't', partition: 0 }], {}]]]);
    const forgotten = stubAdmin({
      describeProducers: async () => [
        {
          topic: 't',
          partition: 0,
          activeProducers: [
            producer({ producerId: 5n, lastTimestamp: BigInt(NOW - 31 * 60_000), currentTransactionStartOffset: 1n }),
          ],
        },
      ],
      listTransactions: async () => [{ transactionalId: 'gone', producerId: 5n, state: 'Ongoing', coordinatorId: 0 }],
      describeTransactions: async () => [
        { transactionalId: 'gone', description: null, error: new KafkaError(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND) },
      ],
    });
    const out = await execute(forgotten, [
      'find-hanging',
      '--topic',
      't',
      '--partition',
      '0',
      '--max-transaction-timeout',
      '30',
    ]);
    assert.equal(out.split('\n')[1]?.split('\t')[7]?.trim(), '31');
  });
});
