/**
 * SCRAM users on a single-node broker, end to end: created and deleted through the admin API
 * (AlterUserScramCredentials), described (DescribeUserScramCredentials), kept in the metadata file
 * across a crash, and usable at once for SASL/SCRAM logins by a real client (KafkaJS).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, ErrorCode } from '@samsa/client';
import { parseScramCredential } from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { canLogIn } from './scram-support.js';

const PROPERTIES = {
  listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
  'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
  'connection.failed.authentication.delay.ms': 50,
};

/** The broker's SASL_PLAINTEXT listener. */
const sasl = (broker: BrokerProcess) => `127.0.0.1:${broker.portOf('SASL_PLAINTEXT')}`;

describe('SCRAM users on a single node', () => {
  let first: BrokerProcess;
  let broker: BrokerProcess;
  let admin: Admin;

  before(async () => {
    first = await BrokerProcess.start({ properties: PROPERTIES });
    broker = first;
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  });
  after(async () => {
    await admin?.close();
    await broker?.stop();
    await first?.close();
  });

  test('a user added through the admin API is described and can log in with each mechanism', async () => {
    const results = await admin.alterUserScramCredentials([
      { user: 'alice', mechanism: 'SCRAM-SHA-256', iterations: 8192, password: 'alice-secret' },
      { user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'alice-secret' },
      { user: 'bob', mechanism: 'SCRAM-SHA-512', iterations: 4096, password: 'bob-secret' },
    ]);
    assert.deepEqual(results, [
      { user: 'alice', error: null },
      { user: 'bob', error: null },
    ]);
    assert.deepEqual(await admin.describeUserScramCredentials(), [
      {
        user: 'alice',
        credentialInfos: [
          { mechanism: 'SCRAM-SHA-256', iterations: 8192 },
          { mechanism: 'SCRAM-SHA-512', iterations: 4096 },
        ],
      },
      { user: 'bob', credentialInfos: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] },
    ]);
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-256', 'alice', 'alice-secret'), true);
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-512', 'alice', 'alice-secret'), true);
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-512', 'alice', 'wrong'), false);
    assert.equal(
      await canLogIn(sasl(broker), 'scram-sha-256', 'bob', 'bob-secret'),
      false,
      'bob has no SHA-256 credential',
    );
  });

  test('credentials survive a crash: saved in the metadata file before the alteration is answered', async () => {
    await admin.close();
    await broker.kill();
    const saved = JSON.parse(readFileSync(join(first.dataDir, 'logs', 'samsa-metadata.json'), 'utf8')) as {
      scramCredentials: Record<string, Record<string, string>>;
    };
    assert.deepEqual(Object.keys(saved.scramCredentials).sort(), ['alice', 'bob']);
    const text = saved.scramCredentials.alice?.['SCRAM-SHA-256'] ?? '';
    assert.match(text, /^salt=[A-Za-z0-9+/=]+,stored_key=[A-Za-z0-9+/=]+,server_key=[A-Za-z0-9+/=]+,iterations=8192$/);
    assert.equal(parseScramCredential(text).storedKey.length, 32);
    assert.doesNotMatch(JSON.stringify(saved), /alice-secret/, 'never the password');

    broker = await BrokerProcess.start({ dataDir: first.dataDir, properties: PROPERTIES });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    assert.deepEqual(
      (await admin.describeUserScramCredentials(['alice'])).map((d) => d.credentialInfos.map((c) => c.iterations)),
      [[8192, 4096]],
    );
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-256', 'alice', 'alice-secret'), true);
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-512', 'bob', 'bob-secret'), true);
  });

  test("deleting a credential ends its logins; Kafka's refusals come back per user", async () => {
    const deleted = await admin.alterUserScramCredentials([{ user: 'alice', mechanism: 'SCRAM-SHA-512' }]);
    assert.deepEqual(deleted, [{ user: 'alice', error: null }]);
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-512', 'alice', 'alice-secret'), false);
    assert.equal(await canLogIn(sasl(broker), 'scram-sha-256', 'alice', 'alice-secret'), true);

    const refused = await admin.alterUserScramCredentials([
      { user: 'carol', mechanism: 'SCRAM-SHA-256' },
      { user: 'dave', mechanism: 'SCRAM-SHA-256', iterations: 1000, password: 'x' },
      { user: 'erin', mechanism: 'SCRAM-SHA-256', iterations: 20000, password: 'x' },
      { user: 'frank', mechanism: 'SCRAM-SHA-256', password: '' },
    ]);
    assert.deepEqual(
      refused.map((r) => [r.user, r.error?.errorCode, r.error?.message]),
      [
        ['carol', ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist'],
        ['dave', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too few iterations'],
        ['erin', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too many iterations'],
        ['frank', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Password must not be empty'],
      ],
    );
    // Users without credentials are left out of a description.
    assert.deepEqual(
      (await admin.describeUserScramCredentials(['carol', 'alice', 'dave'])).map((d) => d.user),
      ['alice'],
    );
  });
});
