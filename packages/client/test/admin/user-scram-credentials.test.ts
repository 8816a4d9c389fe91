import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode, scramSaltedPassword } from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

/** Kafka's ScramMechanism type codes, by hand: what goes on the wire. */
const SHA256 = 1;
const SHA512 = 2;

/** An AlterUserScramCredentials answer: `errorCode` for every user named. */
function altered(request: ReceivedRequest, errorCode = 0) {
  const users = new Set<string>([
    ...request.body.deletions.map((d: { name: string }) => d.name),
    ...request.body.upsertions.map((u: { name: string }) => u.name),
  ]);
  return { results: [...users].map((user) => ({ user, errorCode, errorMessage: null })) };
}

describe('Admin SCRAM users', () => {
  let broker: FakeBroker | undefined;
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    await broker?.close();
  });

  it('sends a salt and the salted password, never the password, and deletions by mechanism code', async () => {
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.AlterUserScramCredentials ? altered(r) : undefined));
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const results = await admin.alterUserScramCredentials([
      { user: 'alice', mechanism: 'SCRAM-SHA-512', iterations: 8192, password: 'alice-secret' },
      { user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'bob-secret', salt: Buffer.from('fixed-salt') },
      { user: 'alice', mechanism: 'SCRAM-SHA-256' },
    ]);
    assert.deepEqual(results, [
      { user: 'alice', error: null },
      { user: 'bob', error: null },
    ]);
    const [sent] = broker.named('AlterUserScramCredentials');
    assert.ok(sent);
    assert.deepEqual(sent.body.deletions, [{ name: 'alice', mechanism: SHA256 }]);
    const [alice, bob] = sent.body.upsertions;
    assert.equal(alice.mechanism, SHA512);
    assert.equal(alice.iterations, 8192);
    assert.ok(alice.salt.length >= 16, 'a random salt');
    assert.deepEqual(alice.saltedPassword, scramSaltedPassword('SCRAM-SHA-512', 'alice-secret', alice.salt, 8192));
    assert.equal(bob.iterations, 4096, "kafka-configs.sh's default");
    assert.deepEqual(bob.salt, Buffer.from('fixed-salt'));
    assert.deepEqual(bob.saltedPassword, scramSaltedPassword('SCRAM-SHA-256', 'bob-secret', bob.salt, 4096));
    assert.deepEqual(
      Object.keys(alice).filter((k) => k !== '_unknownTaggedFields'),
      ['name', 'mechanism', 'iterations', 'salt', 'saltedPassword'],
      'nothing else goes on the wire',
    );
  });

  it("refuses Java's client-side errors without sending those users; the others go", async () => {
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.AlterUserScramCredentials ? altered(r) : undefined));
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const results = await admin.alterUserScramCredentials([
      { user: '', mechanism: 'SCRAM-SHA-256', password: 'x' },
      { user: 'bob', mechanism: 'SCRAM-SHA-256', password: '' },
      { user: 'carol', mechanism: 'SCRAM-SHA-1' as never },
      { user: 'dave', mechanism: 'SCRAM-SHA-256', password: 'x' },
    ]);
    assert.deepEqual(
      results.map((r) => [r.user, r.error?.errorCode ?? 0, r.error?.message]),
      [
        ['', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty'],
        ['bob', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Password must not be empty'],
        ['carol', ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'],
        ['dave', 0, undefined],
      ],
    );
    const sent = broker.named('AlterUserScramCredentials');
    assert.deepEqual(
      sent.map((r) => r.body.upsertions.map((u: { name: string }) => u.name)),
      [['dave']],
    );
  });

  it('goes to the controller, and again after NOT_CONTROLLER', async () => {
    let attempts = 0;
    broker = await FakeBroker.start((r) => {
      if (r.apiKey !== ApiKey.AlterUserScramCredentials) return undefined;
      attempts++;
      return altered(r, attempts === 1 ? ErrorCode.NOT_CONTROLLER : 0);
    });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap, 'retry.backoff.ms': 10 });
    assert.deepEqual(await admin.alterUserScramCredentials([{ user: 'alice', mechanism: 'SCRAM-SHA-256' }]), [
      { user: 'alice', error: null },
    ]);
    assert.equal(attempts, 2);
  });

  it('describes: null asks for every user, users without credentials are left out, other errors reject', async () => {
    let answer: unknown;
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.DescribeUserScramCredentials ? answer : undefined));
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    answer = {
      errorCode: 0,
      errorMessage: null,
      results: [
        {
          user: 'alice',
          errorCode: 0,
          errorMessage: null,
          credentialInfos: [
            { mechanism: SHA256, iterations: 8192 },
            { mechanism: 9, iterations: 4096 },
          ],
        },
        { user: 'nobody', errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'no', credentialInfos: [] },
      ],
    };
    assert.deepEqual(await admin.describeUserScramCredentials(), [
      { user: 'alice', credentialInfos: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] },
    ]);
    await admin.describeUserScramCredentials(['alice', 'nobody']);
    assert.deepEqual(
      broker.named('DescribeUserScramCredentials').map((r) => r.body.users),
      [null, [{ name: 'alice' }, { name: 'nobody' }]],
    );
    answer = {
      errorCode: 0,
      errorMessage: null,
      results: [{ user: 'x', errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'twice', credentialInfos: [] }],
    };
    await assert.rejects(admin.describeUserScramCredentials(['x', 'x']), { errorName: 'DUPLICATE_RESOURCE' });
    answer = { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, results: [] };
    await assert.rejects(admin.describeUserScramCredentials(), { errorName: 'CLUSTER_AUTHORIZATION_FAILED' });
  });
});
