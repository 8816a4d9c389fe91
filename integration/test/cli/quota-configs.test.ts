/**
 * `kafka-configs.sh` client quotas against a single-node broker, with Kafka's command lines and
 * Kafka's output (ConfigCommand with --bootstrap-server): users, clients, a user's clients and the
 * defaults, added, described and deleted; described again after a restart (the metadata file);
 * users' quota lines before their SCRAM lines; and Kafka's refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { script } from './cli-support.js';

describe('kafka-configs.sh for client quotas', () => {
  let broker: BrokerProcess;
  let first: BrokerProcess | undefined;
  const configs = (...args: string[]) => script('kafka-configs.sh', ['--bootstrap-server', broker.bootstrap, ...args]);
  /** Runs a command that must succeed; its stdout. */
  const ok = async (...args: string[]) => {
    const result = await configs(...args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  /** Runs a command that must fail; its stderr. */
  const refused = async (...args: string[]) => {
    const result = await configs(...args);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}`);
    return result.stderr;
  };
  const alice = ['--entity-type', 'users', '--entity-name', 'alice'];
  const aliceApp = [...alice, '--entity-type', 'clients', '--entity-name', 'app'];

  before(async () => {
    broker = await BrokerProcess.start();
  });
  after(async () => {
    // The broker started first owns the data dir: it removes it.
    await broker?.close();
    await first?.close();
  });

  test("users: add, describe (quotas, then SCRAM credentials), delete, Kafka's Invalid config(s)", async () => {
    const quotas = 'producer_byte_rate=1024,consumer_byte_rate=2048,request_percentage=200';
    assert.equal(await ok('--alter', '--add-config', quotas, ...alice), 'Completed updating config for user alice.\n');
    // Values print as Java doubles, in the order Java's HashMap iterates them (as Kafka prints them).
    assert.equal(
      await ok('--describe', ...alice),
      "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0, request_percentage=200.0\n",
    );
    assert.equal(
      await ok('--alter', '--add-config', 'SCRAM-SHA-256=[password=alice-secret]', ...alice),
      'Completed updating config for user alice.\n',
    );
    assert.equal(
      await ok('--describe', ...alice),
      "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0, request_percentage=200.0\n" +
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=4096\n",
    );

    assert.equal(
      await ok('--alter', '--delete-config', 'producer_byte_rate,request_percentage', '--user', 'alice'),
      'Completed updating config for user alice.\n',
    );
    assert.equal(
      await ok('--describe', '--user', 'alice'),
      "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0\n" +
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=4096\n",
    );
    assert.equal(
      await refused('--alter', '--delete-config', 'producer_byte_rate', ...alice),
      'Error while executing config command: Invalid config(s): producer_byte_rate (INVALID_CONFIG)\n',
    );
    assert.equal(
      await ok('--alter', '--add-config', 'producer_byte_rate=1048576', '--user', 'bob'),
      'Completed updating config for user bob.\n',
    );
  });

  test('clients, a user with a client (both orders), and the defaults', async () => {
    assert.equal(
      await ok(
        '--alter',
        '--add-config',
        'producer_byte_rate=4096',
        '--entity-type',
        'clients',
        '--entity-name',
        'app',
      ),
      'Completed updating config for client app.\n',
    );
    assert.equal(
      await ok('--alter', '--add-config', 'consumer_byte_rate=10485760', '--client', 'other'),
      'Completed updating config for client other.\n',
    );
    assert.equal(
      await ok('--alter', '--add-config', 'request_percentage=50', ...aliceApp),
      'Completed updating config for user alice.\n',
    );
    // The flags list clients before users, so Kafka names the client.
    assert.equal(
      await ok('--alter', '--add-config', 'request_percentage=25.5', '--user', 'bob', '--client', 'app'),
      'Completed updating config for client app.\n',
    );
    assert.equal(
      await ok('--alter', '--add-config', 'producer_byte_rate=100', '--entity-type', 'users', '--entity-default'),
      'Completed updating default config for users in the cluster.\n',
    );
    assert.equal(
      await ok('--alter', '--add-config', 'producer_byte_rate=200', '--client-defaults'),
      'Completed updating default config for clients in the cluster.\n',
    );
    assert.equal(
      await ok('--alter', '--add-config', 'producer_byte_rate=300', '--user-defaults', '--client-defaults'),
      'Completed updating default config for clients in the cluster.\n',
    );
    // --entity-default pairs with the first type, the name with the second: the order given.
    const defaultUserApp = [
      '--entity-type',
      'users',
      '--entity-default',
      '--entity-type',
      'clients',
      '--entity-name',
      'app',
    ];
    assert.equal(
      await ok('--alter', '--add-config', 'producer_byte_rate=400', ...defaultUserApp),
      'Completed updating default config for users in the cluster.\n',
    );

    assert.equal(
      await ok('--describe', '--entity-type', 'clients', '--entity-name', 'app'),
      "Quota configs for client-id 'app' are producer_byte_rate=4096.0\n",
    );
    // Entities too in the order Java's HashMap iterates them (the order Java 17 printed).
    assert.equal(
      await ok('--describe', '--entity-type', 'clients'),
      'Quota configs for the default client-id are producer_byte_rate=200.0\n' +
        "Quota configs for client-id 'app' are producer_byte_rate=4096.0\n" +
        "Quota configs for client-id 'other' are consumer_byte_rate=1.048576E7\n",
    );
    assert.equal(
      await ok('--describe', ...aliceApp),
      "Quota configs for user-principal 'alice', client-id 'app' are request_percentage=50.0\n",
    );
    assert.equal(
      await ok('--describe', ...defaultUserApp),
      "Quota configs for the default user-principal, client-id 'app' are producer_byte_rate=400.0\n",
    );
    assert.equal(
      await ok('--describe', '--user-defaults', '--client-defaults'),
      'Quota configs for the default user-principal, the default client-id are producer_byte_rate=300.0\n',
    );
    // A default user has quotas only: no SCRAM lines.
    assert.equal(
      await ok('--describe', '--entity-type', 'users', '--entity-default'),
      'Quota configs for the default user-principal are producer_byte_rate=100.0\n',
    );
    assert.equal(
      await ok('--describe', ...alice, '--entity-type', 'clients'),
      "Quota configs for user-principal 'alice', client-id 'app' are request_percentage=50.0\n",
    );
  });

  test('a restarted broker describes the same quotas (the metadata file)', async () => {
    const views = [
      ['--entity-type', 'users'],
      ['--entity-type', 'clients'],
      ['--entity-type', 'users', '--entity-type', 'clients'],
    ];
    const before = [];
    for (const view of views) before.push(await ok('--describe', ...view));
    assert.equal(
      before[0],
      'Quota configs for the default user-principal are producer_byte_rate=100.0\n' +
        "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0\n" +
        "Quota configs for user-principal 'bob' are producer_byte_rate=1048576.0\n" +
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=4096\n",
    );
    assert.equal(
      before[2],
      "Quota configs for user-principal 'alice', client-id 'app' are request_percentage=50.0\n" +
        "Quota configs for the default user-principal, client-id 'app' are producer_byte_rate=400.0\n" +
        "Quota configs for user-principal 'bob', client-id 'app' are request_percentage=25.5\n" +
        'Quota configs for the default user-principal, the default client-id are producer_byte_rate=300.0\n',
    );

    first = broker;
    await first.stop();
    broker = await BrokerProcess.start({ dataDir: first.dataDir });
    for (const [i, view] of views.entries()) assert.equal(await ok('--describe', ...view), before[i], view.join(' '));
  });

  test("refuses what Kafka refuses, with Kafka's messages; the broker's refusals as the broker words them", async () => {
    const cases: [string[], string][] = [
      [
        ['--alter', '--add-config', 'controller_mutation_rate=10', ...alice],
        'Error while executing config command: Invalid configuration key controller_mutation_rate (INVALID_REQUEST)\n',
      ],
      [
        ['--alter', '--add-config', 'producer_byte_rate=1.5', ...aliceApp],
        'Error while executing config command: Invalid value 1.5 for configuration producer_byte_rate: must be a positive whole number of bytes per second (INVALID_REQUEST)\n',
      ],
      [
        ['--alter', '--add-config', 'producer_byte_rate=fast', '--client', 'app'],
        'Cannot parse quota configuration value for producer_byte_rate: fast\n',
      ],
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[password=x],retention.ms=1', '--client', 'app'],
        "Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: Set(retention.ms, SCRAM-SHA-256)\n",
      ],
      [
        ['--alter', '--delete-config', 'retention.ms', ...aliceApp],
        "Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: List(retention.ms)\n",
      ],
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[password=x],producer_byte_rate=1', ...alice],
        "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.\n",
      ],
      [
        ['--alter', '--add-config', 'producer_byte_rate=1', '--entity-type', 'clients'],
        'an entity-name or default entity must be specified with --alter of users, clients, brokers or ips\n',
      ],
      [
        ['--alter', '--add-config', 'producer_byte_rate=1', ...alice, '--entity-type', 'clients'],
        'An entity name must be specified for every entity type\n',
      ],
      [
        ['--describe', '--entity-type', 'clients', '--entity-name', 'a', '--entity-name', 'b'],
        'More entity names specified than entity types\n',
      ],
      [
        ['--describe', '--entity-type', 'users', '--entity-type', 'users'],
        'Duplicate entity type(s) specified: users\n',
      ],
      [
        ['--describe', '--entity-type', 'users', '--entity-type', 'topics'],
        "Only 'users' and 'clients' entity types may be specified together\n",
      ],
    ];
    for (const [args, stderr] of cases) assert.equal(await refused(...args), stderr, args.join(' '));

    // Keys the tool does not know reach the broker only through the admin client.
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const [result] = await admin.alterClientQuotas([{ entity: { user: 'alice' }, ops: [{ key: 'nope', value: 1 }] }]);
      assert.equal(result?.error?.errorName, 'INVALID_REQUEST');
      assert.equal(result?.error?.message, 'Invalid configuration key nope');
    } finally {
      await admin.close();
    }
    assert.equal(
      await ok('--describe', '--user', 'alice'),
      "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0\n" +
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=4096\n",
      'nothing refused was stored',
    );
  });
});
