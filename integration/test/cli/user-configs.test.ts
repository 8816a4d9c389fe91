/**
 * `kafka-configs.sh --entity-type users` against a broker: SCRAM credentials added, described and
 * deleted with Kafka's command lines and Kafka's output (ConfigCommand):
 * `SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, ...`,
 * `Completed updating config for user alice.`; and the refusals. Quotas: quota-configs.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { canLogIn } from '../security/scram-support.js';
import { script } from './cli-support.js';

describe('kafka-configs.sh for SCRAM users', () => {
  let broker: BrokerProcess;
  let b: string;
  const configs = (...args: string[]) => script('kafka-configs.sh', ['--bootstrap-server', b, ...args]);

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
        'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
      },
    });
    b = broker.bootstrap;
  });
  after(async () => {
    await broker?.close();
  });

  test('adds credentials, describes them as Kafka prints them, deletes one', async () => {
    const added = await configs(
      '--alter',
      '--add-config',
      'SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=alice-secret]',
      '--entity-type',
      'users',
      '--entity-name',
      'alice',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'Completed updating config for user alice.\n');
    const sasl = `127.0.0.1:${broker.portOf('SASL_PLAINTEXT')}`;
    assert.equal(await canLogIn(sasl, 'scram-sha-256', 'alice', 'alice-secret'), true);

    const bob = await configs('--alter', '--add-config', 'SCRAM-SHA-512=[password=bob-secret]', '--user', 'bob');
    assert.equal(bob.code, 0, bob.stderr);
    assert.equal(bob.stdout, 'Completed updating config for user bob.\n');

    const one = await configs('--describe', '--entity-type', 'users', '--entity-name', 'alice');
    assert.equal(one.code, 0, one.stderr);
    assert.equal(
      one.stdout,
      "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n",
    );
    const all = await configs('--describe', '--entity-type', 'users');
    assert.equal(
      all.stdout,
      "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n" +
        "SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-512=iterations=4096\n",
    );

    const deleted = await configs(
      '--alter',
      '--delete-config',
      'SCRAM-SHA-512',
      '--entity-type',
      'users',
      '--entity-name',
      'alice',
    );
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, 'Completed updating config for user alice.\n');
    const remaining = await configs('--describe', '--entity-type', 'users', '--entity-name', 'alice');
    assert.equal(
      remaining.stdout,
      "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192\n",
    );
    assert.equal(await canLogIn(sasl, 'scram-sha-512', 'alice', 'alice-secret'), false);

    // A user without credentials prints nothing, as Kafka's describe does.
    const nobody = await configs('--describe', '--entity-type', 'users', '--entity-name', 'nobody');
    assert.equal(nobody.code, 0, nobody.stderr);
    assert.equal(nobody.stdout, '');
  });

  test("refuses what Kafka refuses, with Kafka's messages", async () => {
    const user = ['--entity-type', 'users', '--entity-name', 'carol'];
    const cases: [string[], string][] = [
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[iterations=1000,password=x]', ...user],
        'Iterations 1000 is less than the minimum 4096 required for SCRAM-SHA-256\n',
      ],
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[iterations=20000,password=x]', ...user],
        'Error while executing config command: Too many iterations (UNACCEPTABLE_CREDENTIAL)\n',
      ],
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[secret=x]', ...user],
        'Invalid credential property SCRAM_SHA_256=secret=x\n',
      ],
      [
        ['--alter', '--delete-config', 'SCRAM-SHA-256', ...user],
        'Error while executing config command: Attempt to delete a user credential that does not exist (RESOURCE_NOT_FOUND)\n',
      ],
      [
        ['--alter', '--add-config', 'retention.ms=1', ...user],
        "Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(retention.ms)\n",
      ],
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[password=x],producer_byte_rate=1024', ...user],
        "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.\n",
      ],
      [
        ['--alter', '--add-config', 'SCRAM-SHA-256=[password=x]', '--entity-type', 'users', '--entity-default'],
        'The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      const result = await configs(...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.equal(result.stderr, stderr, args.join(' '));
    }
    const described = await configs('--describe', '--entity-type', 'users', '--entity-name', 'carol');
    assert.equal(described.stdout, '', 'carol was never created');
  });
});
