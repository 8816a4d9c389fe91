/**
 * Each tool against a broker started by the harness, its output compared line by line with the
 * format Kafka's tool prints. The formats, from Kafka's tools source:
 * - ConsumerGroupCommand: tables whose rows each start with a newline; offsets columns
 *   `%-Gs %-Ts %-10s %-15s %-15s %-15s %-Cs %-Hs %s` (GROUP TOPIC PARTITION CURRENT-OFFSET
 *   LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID, G/T/C/H at least 15 wide), `-` for missing
 *   values; reset plans `%-30s %-30s %-10s %-15s` (GROUP TOPIC PARTITION NEW-OFFSET); --export as
 *   `topic,partition,offset` CSV; `Deletion of requested consumer groups ('g') was successful.`
 * - ConfigCommand: `Dynamic configs for topic t are:` then `  k=v sensitive=false synonyms={SOURCE:k=v, ...}`,
 *   `Completed updating config for topic t.`
 * - ProducerPerformance: `N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max
 *   latency, P ms 50th, P ms 95th, P ms 99th, P ms 99.9th.`
 * - ConsumerPerformance: the CSV header `start.time, end.time, data.consumed.in.MB, MB.sec,
 *   data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec`.
 * - DumpLogSegments: `Dumping <file>`, `Log starting offset: <n>`, `baseOffset: ... isvalid: true`
 *   batch lines and `| offset: ...` record lines.
 * - DefaultMessageFormatter: `CreateTime:<ts>\tPartition:<p>\tOffset:<o>\t<headers>\t<key>\t<value>`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, freePort } from '@samsa/testkit';
import { samsa, script } from './cli-support.js';

const pad = (s: string | number, n: number) => String(s).padEnd(n);

describe('samsa tools', () => {
  let broker: BrokerProcess;
  let b: string;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    b = broker.bootstrap;
    const created = await samsa([
      'topics',
      '--bootstrap-server',
      b,
      '--create',
      '--topic',
      'orders',
      '--partitions',
      '2',
    ]);
    assert.equal(created.code, 0, created.stderr);
    // Keys k3 and k0 hash (murmur2) to partitions 0 and 1: five records in each.
    const lines = Array.from({ length: 10 }, (_, i) => `k${i % 2 === 0 ? 3 : 0}:v${i}`).join('\n');
    const produced = await samsa(
      [
        'console-producer',
        '--bootstrap-server',
        b,
        '--topic',
        'orders',
        '--reader-property',
        'parse.key=true',
        '--reader-property',
        'key.separator=:',
        '--sync',
      ],
      `${lines}\n`,
    );
    assert.equal(produced.code, 0, produced.stderr);
  });
  after(async () => {
    await broker?.close();
  });

  test("console-consumer prints the formatter properties in Kafka's order and stops at --max-messages", async () => {
    const result = await samsa([
      'console-consumer',
      '--bootstrap-server',
      b,
      '--topic',
      'orders',
      '--partition',
      '0',
      '--offset',
      'earliest',
      '--max-messages',
      '2',
      '--property',
      'print.timestamp=true',
      '--property',
      'print.partition=true',
      '--property',
      'print.offset=true',
      '--property',
      'print.headers=true',
      '--property',
      'print.key=true',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    for (const [i, line] of lines.entries())
      assert.match(line, new RegExp(`^CreateTime:\\d{13}\\tPartition:0\\tOffset:${i}\\tNO_HEADERS\\tk\\d\\tv\\d$`));
    assert.equal(
      result.stderr,
      'Warning: --property is deprecated and will be removed in a future version. Use --formatter-property instead.\nProcessed a total of 2 messages\n',
    );
  });

  test('consumer-groups: describe, state, members, list, reset with every target, delete', async () => {
    const consumed = await samsa([
      'console-consumer',
      '--bootstrap-server',
      b,
      '--topic',
      'orders',
      '--group',
      'billing',
      '--from-beginning',
      '--max-messages',
      '10',
    ]);
    assert.equal(consumed.code, 0, consumed.stderr);
    const describe = await samsa(['consumer-groups', '--bootstrap-server', b, '--describe', '--group', 'billing']);
    assert.equal(describe.code, 0, describe.stderr);
    assert.equal(describe.stderr, "\nConsumer group 'billing' has no active members.\n");
    const row = (...c: string[]) =>
      `${pad(c[0] as string, 15)} ${pad(c[1] as string, 15)} ${pad(c[2] as string, 10)} ${pad(c[3] as string, 15)} ${pad(c[4] as string, 15)} ${pad(c[5] as string, 15)} ${pad(c[6] as string, 15)} ${pad(c[7] as string, 15)} ${c[8]}`;
    const lines = describe.stdout.split('\n');
    assert.equal(lines[0], '');
    assert.equal(
      lines[1],
      row('GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'),
    );
    const data = lines.slice(2, -1);
    assert.equal(data.length, 2);
    for (const l of data) assert.match(l, /^billing {9}orders {10}[01] {10}(\d+) +\1 +0 +- +- +-$/);

    const state = await samsa([
      'consumer-groups',
      '--bootstrap-server',
      b,
      '--describe',
      '--group',
      'billing',
      '--state',
    ]);
    const coordinator = `127.0.0.1:${broker.port}  (0)`;
    const w = Math.max(25, coordinator.length);
    assert.equal(
      state.stdout,
      `\n${pad('GROUP', w)} ${pad('COORDINATOR (ID)', 25)} ${pad('ASSIGNMENT-STRATEGY', 20)} ${pad('STATE', 15)} #MEMBERS\n${pad('billing', w)} ${pad(coordinator, 25)} ${pad('', 20)} ${pad('Empty', 15)} 0\n`,
    );

    const members = await samsa([
      'consumer-groups',
      '--bootstrap-server',
      b,
      '--describe',
      '--group',
      'billing',
      '--members',
      '--verbose',
    ]);
    assert.equal(
      members.stdout,
      `\n${pad('GROUP', 15)} ${pad('CONSUMER-ID', 15)} ${pad('HOST', 15)} ${pad('CLIENT-ID', 15)} ${pad('#PARTITIONS', 15)} ${pad('CURRENT-EPOCH', 15)} ${pad('CURRENT-ASSIGNMENT', 20)} ${pad('TARGET-EPOCH', 15)} TARGET-ASSIGNMENT\n`,
    );

    const list = await samsa(['consumer-groups', '--bootstrap-server', b, '--list', '--state']);
    assert.deepEqual(list.stdout.split('\n'), [
      `${pad('GROUP', 25)} ${pad('STATE', 20)}`,
      `${pad('billing', 25)} ${pad('Empty', 20)}`,
      '',
    ]);

    const reset = (...args: string[]) =>
      samsa(['consumer-groups', '--bootstrap-server', b, '--reset-offsets', '--group', 'billing', ...args]);
    const table = (offsets: [number, number][]) =>
      `\n${pad('GROUP', 30)} ${pad('TOPIC', 30)} ${pad('PARTITION', 10)} ${pad('NEW-OFFSET', 15)}${offsets.map(([p, o]) => `\n${pad('billing', 30)} ${pad('orders', 30)} ${pad(p, 10)} ${pad(o, 15)}`).join('')}\n`;
    const earliest = await reset('--topic', 'orders', '--to-earliest', '--execute');
    assert.equal(earliest.code, 0, earliest.stderr);
    assert.equal(
      earliest.stdout,
      table([
        [0, 0],
        [1, 0],
      ]),
    );
    const dry = await reset('--all-topics', '--to-offset', '1');
    assert.match(dry.stderr, /^WARN: No action will be performed as the --execute option is missing\./);
    assert.equal(
      dry.stdout,
      table([
        [0, 1],
        [1, 1],
      ]),
    );
    const shifted = await reset('--topic', 'orders:1', '--shift-by', '2', '--dry-run');
    assert.equal(shifted.stdout, table([[1, 2]]));
    const exported = await reset('--all-topics', '--to-current', '--dry-run', '--export');
    assert.equal(exported.stdout, 'orders,0,0\norders,1,0\n\n');
    const planFile = join(mkdtempSync(join(tmpdir(), 'samsa-cli-')), 'plan.csv');
    writeFileSync(planFile, 'orders,0,3\norders,1,4\n');
    const fromFile = await reset('--from-file', planFile, '--execute');
    assert.equal(
      fromFile.stdout,
      table([
        [0, 3],
        [1, 4],
      ]),
    );
    const latest = await reset('--all-topics', '--to-latest', '--dry-run', '--export');
    assert.match(latest.stdout, /^orders,0,\d+\norders,1,\d+\n\n$/);
    const byTime = await reset('--all-topics', '--to-datetime', '2000-01-01T00:00:00.000', '--dry-run');
    assert.equal(
      byTime.stdout,
      table([
        [0, 0],
        [1, 0],
      ]),
    );
    const byDuration = await reset('--all-topics', '--by-duration', 'PT0.001S', '--dry-run', '--export');
    // Kafka falls back to the log end (with a warning on stdout) where no record is that recent.
    assert.match(
      byDuration.stdout,
      /^(\nWarn: Partition [01] from topic orders is empty\. Falling back to latest known offset\.\n)*orders,0,5\norders,1,5\n\n$/,
    );

    const deleteOffsets = await samsa([
      'consumer-groups',
      '--bootstrap-server',
      b,
      '--delete-offsets',
      '--group',
      'billing',
      '--topic',
      'orders',
    ]);
    assert.equal(
      deleteOffsets.stdout,
      `Request succeed for deleting offsets with topic orders group billing\n\n${pad('TOPIC', 30)} ${pad('PARTITION', 15)} ${pad('STATUS', 15)}\n${pad('orders', 30)} ${pad('0', 15)} ${pad('Successful', 15)}\n${pad('orders', 30)} ${pad('1', 15)} ${pad('Successful', 15)}\n`,
    );
    const deleted = await samsa(['consumer-groups', '--bootstrap-server', b, '--delete', '--group', 'billing']);
    assert.equal(deleted.stdout, "Deletion of requested consumer groups ('billing') was successful.\n");
    const missing = await samsa(['consumer-groups', '--bootstrap-server', b, '--describe', '--group', 'billing']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "\nError: Consumer group 'billing' does not exist.\n");
  });

  test('configs: alter and describe topic configs, describe a broker', async () => {
    const altered = await script('kafka-configs.sh', [
      '--bootstrap-server',
      b,
      '--entity-type',
      'topics',
      '--entity-name',
      'orders',
      '--alter',
      '--add-config',
      'retention.ms=86400000,cleanup.policy=[compact,delete]',
    ]);
    assert.equal(altered.code, 0, altered.stderr);
    assert.equal(altered.stdout, 'Completed updating config for topic orders.\n');
    const described = await script('kafka-configs.sh', ['--bootstrap-server', b, '--topic', 'orders', '--describe']);
    const lines = described.stdout.split('\n');
    assert.equal(lines[0], 'Dynamic configs for topic orders are:');
    assert.match(
      lines[1] ?? '',
      /^ {2}cleanup\.policy=compact,delete sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:cleanup\.policy=compact,delete, DEFAULT_CONFIG:log\.cleanup\.policy=delete\}$/,
    );
    assert.match(
      lines[2] ?? '',
      /^ {2}retention\.ms=86400000 sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:retention\.ms=86400000(, [A-Z_]+:[a-z.]+=\d+)*\}$/,
    );
    const removed = await script('kafka-configs.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'orders',
      '--alter',
      '--delete-config',
      'retention.ms',
    ]);
    assert.equal(removed.stdout, 'Completed updating config for topic orders.\n');
    const invalid = await script('kafka-configs.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'orders',
      '--alter',
      '--delete-config',
      'retention.ms',
    ]);
    assert.equal(invalid.code, 1);
    assert.equal(
      invalid.stderr,
      'Error while executing config command: Invalid config(s): retention.ms (INVALID_CONFIG)\n',
    );
    const broker0 = await script('kafka-configs.sh', [
      '--bootstrap-server',
      b,
      '--entity-type',
      'brokers',
      '--entity-name',
      '0',
      '--describe',
      '--all',
    ]);
    assert.equal(broker0.stdout.split('\n')[0], 'All configs for broker 0 are:');
    assert.match(
      broker0.stdout,
      /\n {2}log\.segment\.bytes=\d+ sensitive=false synonyms=\{.*DEFAULT_CONFIG:log\.segment\.bytes=1073741824\}\n/,
    );
  });

  test('configs: alter and describe group configs (Kafka 4)', async () => {
    const altered = await script('kafka-configs.sh', [
      '--bootstrap-server',
      b,
      '--entity-type',
      'groups',
      '--entity-name',
      'billing',
      '--alter',
      '--add-config',
      'consumer.session.timeout.ms=50000,share.auto.offset.reset=earliest',
    ]);
    assert.equal(altered.code, 0, altered.stderr);
    assert.equal(altered.stdout, 'Completed updating config for group billing.\n');
    const described = await script('kafka-configs.sh', ['--bootstrap-server', b, '--group', 'billing', '--describe']);
    assert.equal(
      described.stdout,
      [
        'Dynamic configs for group billing are:',
        '  consumer.session.timeout.ms=50000 sensitive=false synonyms={GROUP_CONFIG:consumer.session.timeout.ms=50000}',
        '  share.auto.offset.reset=earliest sensitive=false synonyms={GROUP_CONFIG:share.auto.offset.reset=earliest}',
        '',
      ].join('\n'),
    );
    const refused = await script('kafka-configs.sh', [
      '--bootstrap-server',
      b,
      '--group',
      'billing',
      '--alter',
      '--add-config',
      'consumer.heartbeat.interval.ms=1',
    ]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /consumer\.heartbeat\.interval\.ms must be greater than or equal to group\.consumer\.min\.heartbeat\.interval\.ms \(INVALID_CONFIG\)/,
    );
  });

  test("producer-perf-test and consumer-perf-test print Kafka's report lines", async () => {
    const produced = await script('kafka-producer-perf-test.sh', [
      '--topic',
      'perf',
      '--num-records',
      '2000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${b}`,
      'acks=1',
    ]);
    assert.equal(produced.code, 0, produced.stderr);
    assert.match(
      produced.stdout,
      /^2000 records sent, \d+\.\d records\/sec \(\d+\.\d\d MB\/sec\), \d+\.\d\d ms avg latency, \d+\.\d\d ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.\n$/,
    );
    assert.match(produced.stderr, /--producer-props is deprecated.*Use --command-property instead/);
    const consumed = await script('kafka-consumer-perf-test.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'perf',
      '--num-records',
      '2000',
      '--timeout',
      '10000',
    ]);
    assert.equal(consumed.code, 0, consumed.stderr);
    const [header, total] = consumed.stdout.split('\n');
    assert.equal(
      header,
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
    );
    assert.match(
      total ?? '',
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, 0\.1907, -?\d+\.\d{4}, 2000, -?\d+\.\d{4}, \d+, -?\d+, -?\d+\.\d{4}, -?\d+\.\d{4}$/,
    );
  });

  test('dump-log prints the batches and records of a segment', async () => {
    const segment = join(broker.dataDir, 'logs', 'orders-0', '00000000000000000000.log');
    const shallow = await script('kafka-dump-log.sh', ['--files', segment]);
    assert.equal(shallow.code, 0, shallow.stderr);
    const lines = shallow.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `Dumping ${segment}`);
    assert.equal(lines[1], 'Log starting offset: 0');
    assert.match(
      lines[2] ?? '',
      /^baseOffset: 0 lastOffset: \d+ count: \d+ baseSequence: 0 lastSequence: \d+ producerId: \d+ producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong\.empty position: 0 CreateTime: \d{13} size: \d+ magic: 2 compresscodec: none crc: \d+ isvalid: true$/,
    );
    const deep = await script('kafka-dump-log.sh', ['--files', segment, '--print-data-log']);
    assert.match(
      deep.stdout,
      /\n\| offset: 0 CreateTime: \d{13} keySize: 2 valueSize: 2 sequence: 0 headerKeys: \[\] key: k\d payload: v\d\n/,
    );
  });

  test('bad flags, Kafka errors and unreachable brokers end with one line and status 1', async () => {
    const unknown = await samsa(['topics', '--bootstrap-server', b, '--lst']);
    assert.deepEqual([unknown.code, unknown.stderr], [1, 'lst is not a recognized option\n']);
    const twoActions = await samsa(['topics', '--bootstrap-server', b, '--list', '--delete']);
    assert.deepEqual(
      [twoActions.code, twoActions.stderr],
      [1, 'Command must include exactly one action: --list, --describe, --create, --alter or --delete\n'],
    );
    const exists = await samsa(['topics', '--bootstrap-server', b, '--create', '--topic', 'orders']);
    assert.deepEqual(
      [exists.code, exists.stderr],
      [1, "Error while executing topic command : Topic 'orders' already exists. (TOPIC_ALREADY_EXISTS)\n"],
    );
    const ifNotExists = await samsa([
      'topics',
      '--bootstrap-server',
      b,
      '--create',
      '--topic',
      'orders',
      '--if-not-exists',
    ]);
    assert.deepEqual([ifNotExists.code, ifNotExists.stdout, ifNotExists.stderr], [0, '', '']);
    const port = await freePort();
    const unreachable = await samsa(['topics', '--bootstrap-server', `127.0.0.1:${port}`, '--list']);
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.stderr.split('\n').length, 2);
    assert.match(
      unreachable.stderr,
      new RegExp(`^Error: could not reach any broker at 127\\.0\\.0\\.1:${port} within 4000 ms`),
    );
    const help = await samsa(['topics', '--help']);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /^This tool helps to create, delete, describe, or change a topic\.\nOption {35}Description\n------ {35}-----------\n--alter /,
    );
    assert.match(
      help.stdout,
      /\n--bootstrap-server <String: server to {4}REQUIRED: The Kafka server to connect\n {2}connect to> {30}to\.\n/,
    );
  });
});

describe('server start and stop', () => {
  test('kafka-server-start.sh -daemon and kafka-server-stop.sh shut the broker down cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-server-'));
    const port = await freePort();
    const config = join(dir, 'server.properties');
    writeFileSync(
      config,
      `broker.id=0\nlisteners=PLAINTEXT://127.0.0.1:${port}\nlog.dirs=${join(dir, 'data')}\noffsets.topic.num.partitions=1\n`,
    );
    try {
      const started = await script('kafka-server-start.sh', ['-daemon', config]);
      assert.equal(started.code, 0, started.stderr);
      assert.ok(existsSync(join(dir, 'data', 'samsa-broker.pid')));
      const created = await samsa([
        'topics',
        '--bootstrap-server',
        `127.0.0.1:${port}`,
        '--create',
        '--topic',
        'lifecycle',
      ]);
      assert.equal(created.stdout, 'Created topic lifecycle.\n');
      const stopped = await script('kafka-server-stop.sh', [config]);
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.ok(!existsSync(join(dir, 'data', 'samsa-broker.pid')));
      assert.ok(
        readdirSync(join(dir, 'data')).includes('.kafka_cleanshutdown'),
        'the clean-shutdown marker is written',
      );
      const again = await script('kafka-server-stop.sh', [config]);
      assert.deepEqual([again.code, again.stdout], [1, 'No kafka server to stop\n']);
    } finally {
      await script('kafka-server-stop.sh', [config]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
