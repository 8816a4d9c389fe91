import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  type AlterUserScramCredentialsRequest,
  createScramCredential,
  ErrorCode,
  KafkaError,
  SCRAM_MECHANISMS,
  type ScramMechanismName,
  scramSaltedPassword,
} from '@samsa/protocol';
import { silentLogger } from '../../src/create-logger.js';
import { alterUserScramCredentials, describeUserScramCredentials } from '../../src/security/scram-credential-admin.js';
import { InMemoryScramCredentialStore, type UserScramCredentials } from '../../src/security/scram-credential-store.js';

const SHA256 = SCRAM_MECHANISMS['SCRAM-SHA-256'].type;
const SHA512 = SCRAM_MECHANISMS['SCRAM-SHA-512'].type;
const logger = silentLogger();

/** An upsertion as a client builds it: a random salt and the salted password, never the password. */
function upsertion(name: string, mechanism: number, password: string, iterations = 4096, salt = randomBytes(16)) {
  const known = Object.entries(SCRAM_MECHANISMS).find(([, m]) => m.type === mechanism)?.[0] as
    | ScramMechanismName
    | undefined;
  const saltedPassword = scramSaltedPassword(known ?? 'SCRAM-SHA-256', password, salt, Math.min(iterations, 20000));
  return { name, mechanism, iterations, salt, saltedPassword };
}

function request(
  upsertions: ReturnType<typeof upsertion>[],
  deletions: { name: string; mechanism: number }[] = [],
): AlterUserScramCredentialsRequest {
  return { upsertions, deletions };
}

async function alter(store: InMemoryScramCredentialStore, req: AlterUserScramCredentialsRequest) {
  return (await alterUserScramCredentials(store, req, logger)).map((r) => [r.user, r.errorCode, r.errorMessage]);
}

describe('AlterUserScramCredentials', () => {
  test('stores what the password would give, derived from the salted password alone', async () => {
    const store = new InMemoryScramCredentialStore();
    const salt = randomBytes(16);
    const results = await alter(store, request([upsertion('alice', SHA512, 'alice-secret', 8192, salt)]));
    assert.deepEqual(results, [['alice', ErrorCode.NONE, null]]);
    const stored = store.credential('alice', 'SCRAM-SHA-512');
    const expected = createScramCredential('SCRAM-SHA-512', 'alice-secret', 8192, salt);
    assert.deepEqual(stored, expected);
  });

  test('keeps a copy of the salt, not a view of the request', async () => {
    const store = new InMemoryScramCredentialStore();
    const u = upsertion('alice', SHA256, 'pw');
    const original = Buffer.from(u.salt);
    await alter(store, request([u]));
    u.salt.fill(0);
    assert.deepEqual(store.credential('alice', 'SCRAM-SHA-256')?.salt, original);
  });

  test("refuses empty names, unknown mechanisms and iteration counts outside Kafka's bounds", async () => {
    const store = new InMemoryScramCredentialStore();
    const results = await alter(
      store,
      request(
        [
          upsertion('', SHA256, 'pw'),
          upsertion('bob', 9, 'pw'),
          upsertion('carol', SHA256, 'pw', 4095),
          upsertion('dave', SHA512, 'pw', 16385),
          upsertion('erin', SHA512, 'pw', 16384),
        ],
        [{ name: 'frank', mechanism: 0 }],
      ),
    );
    assert.deepEqual(results, [
      ['frank', ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'],
      ['', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty'],
      ['bob', ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'],
      ['carol', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too few iterations'],
      ['dave', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too many iterations'],
      ['erin', ErrorCode.NONE, null],
    ]);
    assert.deepEqual(
      [...store.users()].map(([user]) => user),
      ['erin'],
    );
  });

  test("one refused alteration leaves the user's other alterations undone", async () => {
    const store = new InMemoryScramCredentialStore();
    const results = await alter(
      store,
      request([upsertion('alice', SHA256, 'pw'), upsertion('alice', SHA512, 'pw', 100)]),
    );
    assert.deepEqual(results, [['alice', ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too few iterations']]);
    assert.equal(store.credential('alice', 'SCRAM-SHA-256'), undefined);
  });

  test('the same user and mechanism twice is DUPLICATE_RESOURCE; other users go ahead', async () => {
    const store = new InMemoryScramCredentialStore();
    const results = await alter(
      store,
      request([upsertion('alice', SHA256, 'a'), upsertion('bob', SHA256, 'b')], [{ name: 'alice', mechanism: SHA256 }]),
    );
    assert.deepEqual(results, [
      ['alice', ErrorCode.DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request'],
      ['bob', ErrorCode.NONE, null],
    ]);
    assert.equal(store.credential('alice', 'SCRAM-SHA-256'), undefined);
  });

  test('deleting a credential the user lacks is RESOURCE_NOT_FOUND and changes nothing of that user', async () => {
    const store = new InMemoryScramCredentialStore();
    await alter(store, request([upsertion('alice', SHA256, 'a')]));
    const before = store.credential('alice', 'SCRAM-SHA-256');
    const results = await alter(
      store,
      request(
        [upsertion('alice', SHA256, 'new'), upsertion('bob', SHA256, 'b')],
        [{ name: 'alice', mechanism: SHA512 }],
      ),
    );
    assert.deepEqual(results, [
      ['alice', ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist'],
      ['bob', ErrorCode.NONE, null],
    ]);
    assert.equal(store.credential('alice', 'SCRAM-SHA-256'), before);
  });

  test('deletes a credential; a user whose last one is deleted is gone', async () => {
    const store = new InMemoryScramCredentialStore();
    await alter(store, request([upsertion('alice', SHA256, 'a'), upsertion('alice', SHA512, 'a')]));
    assert.deepEqual(await alter(store, request([], [{ name: 'alice', mechanism: SHA512 }])), [
      ['alice', ErrorCode.NONE, null],
    ]);
    assert.ok(store.credential('alice', 'SCRAM-SHA-256'));
    assert.equal(store.credential('alice', 'SCRAM-SHA-512'), undefined);
    await alter(store, request([], [{ name: 'alice', mechanism: SHA256 }]));
    assert.equal((await store.describeUsers(null)).size, 0);
  });

  test("a store failure is that user's error alone", async () => {
    const store = new (class extends InMemoryScramCredentialStore {
      override async alterUser(user: string, change: (c: UserScramCredentials) => UserScramCredentials) {
        if (user === 'bob') throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'ZooKeeper is slow');
        if (user === 'carol') throw new Error('disk on fire');
        return super.alterUser(user, change);
      }
    })();
    const results = await alter(
      store,
      request([upsertion('alice', SHA256, 'a'), upsertion('bob', SHA256, 'b'), upsertion('carol', SHA256, 'c')]),
    );
    assert.deepEqual(results, [
      ['bob', ErrorCode.REQUEST_TIMED_OUT, 'ZooKeeper is slow'],
      [
        'carol',
        ErrorCode.UNKNOWN_SERVER_ERROR,
        'The server experienced an unexpected error when processing the request.',
      ],
      ['alice', ErrorCode.NONE, null],
    ]);
  });
});

describe('DescribeUserScramCredentials', () => {
  async function storeWith(...users: [string, ScramMechanismName, number][]) {
    const store = new InMemoryScramCredentialStore();
    for (const [user, mechanism, iterations] of users) {
      store.set(user, mechanism, createScramCredential(mechanism, 'pw', iterations));
    }
    return store;
  }

  test('null or no users: every user with a credential, sorted, mechanisms in Kafka order', async () => {
    const store = await storeWith(
      ['zed', 'SCRAM-SHA-256', 4096],
      ['alice', 'SCRAM-SHA-512', 4096],
      ['alice', 'SCRAM-SHA-256', 8192],
    );
    for (const users of [null, []]) {
      const response = await describeUserScramCredentials(store, users, logger);
      assert.equal(response.errorCode, ErrorCode.NONE);
      assert.deepEqual(
        response.results?.map((r) => [r.user, r.errorCode, r.credentialInfos]),
        [
          [
            'alice',
            ErrorCode.NONE,
            [
              { mechanism: SHA256, iterations: 8192 },
              { mechanism: SHA512, iterations: 4096 },
            ],
          ],
          ['zed', ErrorCode.NONE, [{ mechanism: SHA256, iterations: 4096 }]],
        ],
      );
    }
  });

  test('named users: one result each in the order asked, with Kafka’s errors for missing, empty and repeated names', async () => {
    const store = await storeWith(['alice', 'SCRAM-SHA-256', 4096]);
    const response = await describeUserScramCredentials(store, ['nobody', 'alice', '', 'bob', 'bob'], logger);
    assert.equal(response.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      response.results?.map((r) => [r.user, r.errorCode, r.errorMessage]),
      [
        ['nobody', ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to describe a user credential that does not exist: nobody'],
        ['alice', ErrorCode.NONE, null],
        ['', ErrorCode.RESOURCE_NOT_FOUND, 'Username must not be empty'],
        [
          'bob',
          ErrorCode.DUPLICATE_RESOURCE,
          'Cannot describe SCRAM credentials for the same user twice in a single request: bob',
        ],
      ],
    );
  });

  test('a store that cannot be read fails the whole request', async () => {
    const store = new (class extends InMemoryScramCredentialStore {
      override async describeUsers(): Promise<Map<string, UserScramCredentials>> {
        throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'ZooKeeper is slow');
      }
    })();
    const response = await describeUserScramCredentials(store, null, logger);
    assert.equal(response.errorCode, ErrorCode.REQUEST_TIMED_OUT);
    assert.equal(response.errorMessage, 'ZooKeeper is slow');
    assert.deepEqual(response.results, []);
  });
});
