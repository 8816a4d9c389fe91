/**
 * The cluster operator's tools against one broker, through the bin/kafka-*.sh wrappers, output
 * compared line by line with what Kafka's tools print (from their source):
 * - BrokerApiVersionsCommand: `host:port (id: N rack: R) -> (`, one `\tName(key): min to max
 *   [usable: v]` line per API (`UNSUPPORTED` for APIs the broker lacks), comma-separated, `)`.
 * - LogDirsCommand: "Querying brokers for log directories information", "Received log directory
 *   information from brokers 0", then one JSON line.
 * - DeleteRecordsCommand: "Executing records delete operation", "Records delete operation
 *   completed:", `partition: t-0\tlow_watermark: 3` or `partition: t-1\terror: <exception>`.
 * - GetOffsetShell: `topic:partition:offset`, TerseExceptions after "Error occurred: ".
 * - LeaderElectionCommand and PreferredReplicaLeaderElectionCommand (2.4+): "Successfully
 *   completed ...", "Valid replica already elected ..."/"Preferred replica already elected ...",
 *   "Error completing ... for partition: t-0: <exception>", exit 1 with "N replica(s) could not be
 *   elected".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { samsa, script, scriptWithEnv } from './cli-support.js';

const TOPIC = 'events';

describe('admin tools against one broker', () => {
  let broker: BrokerProcess;
  let b: string;
  const dir = mkdtempSync(join(tmpdir(), 'samsa-admin-tools-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    b = broker.bootstrap;
    const created = await samsa(['topics', '--bootstrap-server', b, '--create', '--topic', TOPIC, '--partitions', '2']);
    assert.equal(created.code, 0, created.stderr);
    // Keys k3 and k0 hash (murmur2) to partitions 0 and 1: five records in each.
    const lines = Array.from({ length: 10 }, (_, i) => `k${i % 2 === 0 ? 3 : 0}:v${i}`).join('\n');
    const produced = await samsa(
      [
        'console-producer',
        '--bootstrap-server',
        b,
        '--topic',
        TOPIC,
        '--reader-property',
        'parse.key=true',
        '--reader-property',
        'key.separator=:',
      ],
      `${lines}\n`,
    );
    assert.equal(produced.code, 0, produced.stderr);
  });
  after(async () => {
    await broker?.close();
  });

  test('kafka-broker-api-versions.sh prints NodeApiVersions for the broker', async () => {
    const result = await script('kafka-broker-api-versions.sh', ['--bootstrap-server', b]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], `127.0.0.1:${broker.port} (id: 0 rack: null) -> (`);
    assert.deepEqual(lines.slice(-2), [')', '']);
    const apis = lines.slice(1, -2);
    const keys = apis.map((l) => Number(/\((\d+)\)/.exec(l)?.[1]));
    assert.deepEqual(
      keys,
      [...keys].sort((x, y) => x - y),
      'ascending API keys',
    );
    apis.forEach((line, i) => {
      const comma = i < apis.length - 1 ? ',' : '';
      assert.match(
        line,
        new RegExp(
          `^\\t[A-Za-z]+\\(\\d+\\): (UNSUPPORTED|\\d+( to \\d+)? \\[(usable: \\d+|unusable: node too (new|old))\\])${comma}$`,
        ),
      );
    });
    // The versions Samsa's client sends: Produce v11, Metadata v12, ApiVersions v3.
    assert.ok(apis.some((l) => /^\tProduce\(0\): \d+ to \d+ \[usable: 11\],$/.test(l)));
    assert.ok(apis.some((l) => /^\tMetadata\(3\): \d+ to \d+ \[usable: 12\],$/.test(l)));
    assert.ok(apis.some((l) => /^\tApiVersions\(18\): \d+ to \d+ \[usable: 3\],$/.test(l)));
    assert.ok(apis.some((l) => /^\tSaslHandshake\(17\): 0 to 1 \[usable: 1\],$/.test(l)));
    assert.ok(apis.some((l) => /^\tCreateDelegationToken\(38\): UNSUPPORTED,$/.test(l)));
  });

  test('kafka-log-dirs.sh --describe: the log dir and each partition in one JSON line', async () => {
    const result = await script('kafka-log-dirs.sh', ['--bootstrap-server', b, '--describe', '--topic-list', TOPIC]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      'Querying brokers for log directories information',
      'Received log directory information from brokers 0',
    ]);
    assert.equal(lines.length, 4);
    const logDir = join(broker.dataDir, 'logs');
    const partition = (p: number) =>
      `\\{"partition":"${TOPIC}-${p}","size":[1-9]\\d*,"offsetLag":0,"isFuture":false\\}`;
    assert.match(
      lines[2] ?? '',
      new RegExp(
        `^\\{"version":1,"brokers":\\[\\{"broker":0,"logDirs":\\[\\{"logDir":"${logDir}","error":null,"partitions":\\[${partition(0)},${partition(1)}\\]\\}\\]\\}\\]\\}$`,
      ),
    );

    const unknown = await script('kafka-log-dirs.sh', ['--bootstrap-server', b, '--describe', '--broker-list', '0,7']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.equal(
      unknown.stderr,
      'ERROR: The given brokers do not exist from --broker-list: 7. Current existent brokers: 0\n',
    );
    const noDescribe = await script('kafka-log-dirs.sh', ['--bootstrap-server', b]);
    assert.equal(noDescribe.code, 1);
    assert.equal(noDescribe.stderr, 'Missing required argument "[describe]"\n');
  });

  test('kafka-get-offsets.sh: topic:partition:offset at each --time, filters and errors', async () => {
    const get = (...args: string[]) => script('kafka-get-offsets.sh', args);
    const [latest, earliest, earliestByName, maxTimestamp, future, patterns, partitions, legacy] = await Promise.all([
      get('--bootstrap-server', b),
      get('--bootstrap-server', b, '--topic', TOPIC, '--time', '-2'),
      get('--bootstrap-server', b, '--time', 'earliest'),
      get('--bootstrap-server', b, '--topic', TOPIC, '--time', 'max-timestamp'),
      get('--bootstrap-server', b, '--time', String(Date.now() + 3_600_000)),
      get('--bootstrap-server', b, '--topic-partitions', `${TOPIC}:1,nothing-matches:0-9`),
      get('--bootstrap-server', b, '--topic', 'ev.*', '--partitions', '0'),
      // kafka-run-class.sh kafka.tools.GetOffsetShell --broker-list, as Kafka 2.x tutorials run it.
      script('kafka-run-class.sh', [
        'kafka.tools.GetOffsetShell',
        '--broker-list',
        b,
        '--topic',
        TOPIC,
        '--time',
        '-1',
        '--offsets',
        '1',
      ]),
    ]);
    assert.equal(latest.code, 0, latest.stderr);
    assert.equal(latest.stdout, `${TOPIC}:0:5\n${TOPIC}:1:5\n`);
    assert.equal(earliest.stdout, `${TOPIC}:0:0\n${TOPIC}:1:0\n`);
    assert.equal(earliestByName.stdout, earliest.stdout);
    assert.match(maxTimestamp.stdout, new RegExp(`^${TOPIC}:0:[0-4]\n${TOPIC}:1:[0-4]\n$`));
    // No record at or after a timestamp in the future: no offset, no line.
    assert.deepEqual([future.code, future.stdout], [0, '']);
    assert.equal(patterns.stdout, `${TOPIC}:1:5\n`);
    assert.equal(partitions.stdout, `${TOPIC}:0:5\n`);
    assert.equal(legacy.code, 0, legacy.stderr);
    assert.equal(legacy.stdout, latest.stdout);

    const failures = await Promise.all([
      get('--bootstrap-server', b, '--topic', 'missing'),
      get('--bootstrap-server', b, '--time', 'yesterday'),
      get('--bootstrap-server', b, '--topic-partitions', TOPIC, '--topic', TOPIC),
      get('--topic', TOPIC),
    ]);
    for (const f of failures) assert.deepEqual([f.code, f.stdout, f.stderr.split('\n').length], [1, '', 2], f.stderr);
    const [none, malformed, both, missing] = failures.map((f) => f.stderr);
    assert.equal(none, 'Error occurred: Could not match any topic-partitions with the specified filters\n');
    assert.match(malformed ?? '', /^Error occurred: Malformed time argument yesterday\. Please use -1 or latest /);
    assert.equal(both, 'Error occurred: --topic-partitions cannot be used with --topic or --partitions\n');
    assert.equal(missing, 'Missing required argument "[bootstrap-server]"\n');
  });

  test('kafka-delete-records.sh: a low watermark or an error per partition', async () => {
    const offsets = file('offsets.json', {
      partitions: [
        { topic: TOPIC, partition: 1, offset: 99 },
        { topic: TOPIC, partition: 0, offset: 3 },
      ],
      version: 1,
    });
    const result = await script('kafka-delete-records.sh', ['--bootstrap-server', b, '--offset-json-file', offsets]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'Executing records delete operation',
        'Records delete operation completed:',
        `partition: ${TOPIC}-0\tlow_watermark: 3`,
        `partition: ${TOPIC}-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.`,
        '',
      ].join('\n'),
    );
    const earliest = await script('kafka-get-offsets.sh', ['--bootstrap-server', b, '--time', 'earliest']);
    assert.equal(earliest.stdout, `${TOPIC}:0:3\n${TOPIC}:1:0\n`);

    const bad = (content: unknown, i: number) =>
      script('kafka-delete-records.sh', [
        '--bootstrap-server',
        b,
        '--offset-json-file',
        file(`bad-${i}.json`, content),
      ]);
    const cases: [unknown, string | RegExp][] = [
      ['{"partitions": [}', /^\S*bad-0\.json is not valid JSON: .+\n$/],
      [{ version: 1 }, 'Missing partitions field\n'],
      [{ partitions: [], version: 2 }, 'Not supported version field value 2\n'],
      [
        {
          partitions: [
            { topic: TOPIC, partition: 0, offset: 1 },
            { topic: TOPIC, partition: 0, offset: 2 },
          ],
        },
        `Offset json file contains duplicate topic partitions: ${TOPIC}-0\n`,
      ],
      [
        { partitions: [{ topic: TOPIC, partition: 'zero', offset: 1 }] },
        'Expected an integer for partitions[0].partition, received "zero"\n',
      ],
    ];
    const results = await Promise.all([
      ...cases.map(([content], i) => bad(content, i)),
      script('kafka-delete-records.sh', ['--bootstrap-server', b, '--offset-json-file', '/no/such.json']),
      script('kafka-delete-records.sh', ['--bootstrap-server', b]),
    ]);
    const expected = [
      ...cases.map(([, message]) => message),
      '/no/such.json (No such file or directory)\n',
      'Missing required argument "[offset-json-file]"\n',
    ];
    results.forEach((r, i) => {
      assert.deepEqual([r.code, r.stdout], [1, ''], r.stderr);
      const message = expected[i] as string | RegExp;
      if (typeof message === 'string') assert.equal(r.stderr, message);
      else assert.match(r.stderr, message);
    });
  });

  test('kafka-leader-election.sh: outcomes per partition, exit codes, argument checks', async () => {
    const elect = (...args: string[]) => script('kafka-leader-election.sh', ['--bootstrap-server', b, ...args]);
    // One broker leads every partition it has: nothing to elect.
    const all = await elect('--election-type', 'preferred', '--all-topic-partitions');
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, `Valid replica already elected for partitions ${TOPIC}-0, ${TOPIC}-1\n`);
    const one = await elect('--election-type', 'PREFERRED', '--topic', TOPIC, '--partition', '1');
    assert.equal(one.stdout, `Valid replica already elected for partitions ${TOPIC}-1\n`);
    const fromFile = await elect(
      '--election-type',
      'unclean',
      '--path-to-json-file',
      file('election.json', { partitions: [{ topic: TOPIC, partition: 0 }] }),
    );
    assert.equal(fromFile.stdout, `Valid replica already elected for partitions ${TOPIC}-0\n`);

    const unknown = await elect('--election-type', 'unclean', '--topic', 'nope', '--partition', '0');
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stdout,
      'Error completing leader election (UNCLEAN) for partition: nope-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n',
    );
    assert.equal(unknown.stderr, '1 replica(s) could not be elected\n');

    // --admin.config, renamed --command-config by KIP-1147, still works and says so on stdout.
    const renamed = await elect(
      '--election-type',
      'preferred',
      '--all-topic-partitions',
      '--admin.config',
      file('admin.properties', 'client.id=elector\n'),
    );
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.equal(
      renamed.stdout.split('\n')[0],
      'Option --admin.config has been deprecated and will be removed in a future version. Use --command-config instead.',
    );

    const usage: [string[], string][] = [
      [['--bootstrap-server', b, '--all-topic-partitions'], 'Missing required option(s): election-type'],
      [['--election-type', 'preferred', '--all-topic-partitions'], 'Missing required option(s): bootstrap-server'],
      [
        ['--bootstrap-server', b, '--election-type', 'preferred', '--all-topic-partitions', '--topic', TOPIC],
        'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file',
      ],
      [
        ['--bootstrap-server', b, '--election-type', 'preferred', '--topic', TOPIC],
        'Missing required option(s): partition',
      ],
      [
        ['--bootstrap-server', b, '--election-type', 'preferred', '--all-topic-partitions', '--partition', '0'],
        'Option partition is only allowed if topic is used',
      ],
      [
        ['--bootstrap-server', b, '--election-type', 'random', '--all-topic-partitions'],
        "Cannot parse argument 'random' of option election-type",
      ],
    ];
    const checked = await Promise.all(usage.map(([args]) => script('kafka-leader-election.sh', args)));
    checked.forEach((r, i) => {
      const [args, message] = usage[i] as [string[], string];
      assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', `${message}\n`], args.join(' '));
    });
    const duplicates = file('dup.json', {
      partitions: [
        { topic: TOPIC, partition: 0 },
        { topic: TOPIC, partition: 0 },
      ],
    });
    const dup = await elect('--election-type', 'preferred', '--path-to-json-file', duplicates);
    assert.deepEqual([dup.code, dup.stderr], [1, `Replica election data contains duplicate partitions: ${TOPIC}-0\n`]);
    const noField = await elect('--election-type', 'preferred', '--path-to-json-file', file('empty.json', {}));
    assert.equal(noField.stderr, 'Replica election data is missing "partitions" field\n');
  });

  test('kafka-preferred-replica-election.sh --bootstrap-server: ElectLeaders PREFERRED', async () => {
    const deprecated = 'This tool is deprecated. Please use kafka-leader-election tool. Tracking issue: KAFKA-8405';
    const result = await script('kafka-preferred-replica-election.sh', ['--bootstrap-server', b]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `${deprecated}\nPreferred replica already elected for partitions ${TOPIC}-0, ${TOPIC}-1\n`,
    );
    const neither = await script('kafka-preferred-replica-election.sh', ['--path-to-json-file', 'x.json']);
    assert.deepEqual(
      [neither.code, neither.stdout, neither.stderr],
      [1, `${deprecated}\n`, "Exactly one of '[bootstrap-server]' or '[zookeeper]' must be provided\n"],
    );
  });

  test('every tool: --help on stdout, an unreachable broker in one line, exit 1', async () => {
    const tools = [
      ['kafka-broker-api-versions.sh', 'This tool helps to retrieve broker version information.', []],
      ['kafka-log-dirs.sh', 'This tool helps to query log directory usage on the specified brokers.', ['--describe']],
      [
        'kafka-delete-records.sh',
        'This tool helps to delete records of the given partitions down to the specified offset.',
        ['--offset-json-file', file('ok.json', { partitions: [] })],
      ],
      ['kafka-get-offsets.sh', 'An interactive shell for getting topic-partition offsets.', []],
      [
        'kafka-leader-election.sh',
        'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
        ['--election-type', 'preferred', '--all-topic-partitions'],
      ],
    ] as const;
    await Promise.all(
      tools.map(async ([name, purpose, args]) => {
        const help = await script(name, ['--help']);
        assert.equal(help.code, 0, name);
        assert.equal(help.stdout.split('\n')[0], purpose);
        assert.match(help.stdout, /\nOption {34} Description\n-{6} {34} -{11}\n/);
        const down = await scriptWithEnv(name, ['--bootstrap-server', '127.0.0.1:1', ...args], {
          SAMSA_CONNECT_TIMEOUT_MS: '1000',
        });
        assert.equal(down.code, 1, name);
        assert.match(down.stderr, /^Error: could not reach any broker at 127\.0\.0\.1:1 within \d+ ms.*\n$/, name);
      }),
    );
    const unknownClass = await script('kafka-run-class.sh', ['kafka.tools.MirrorMaker']);
    assert.equal(unknownClass.code, 1);
    assert.equal(unknownClass.stderr.split('\n').length, 2);
    assert.match(unknownClass.stderr, /Samsa has no tool for class kafka\.tools\.MirrorMaker/);
  });
});
