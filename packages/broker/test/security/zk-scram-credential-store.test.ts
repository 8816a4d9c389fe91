import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createScramCredential, formatScramCredential, type ScramCredential } from '@samsa/protocol';
import { silentLogger } from '../../src/create-logger.js';
import { ZkScramCredentialStore } from '../../src/security/zk-scram-credential-store.js';
import { InMemoryZk } from '../support/in-memory-zk.js';

const withSha256 = (credential: ScramCredential) => () => new Map([['SCRAM-SHA-256' as const, credential]]);

/** Two brokers' stores over one ensemble. */
async function twoBrokers() {
  const zk = new InMemoryZk();
  const a = new ZkScramCredentialStore(zk.client(), silentLogger());
  const b = new ZkScramCredentialStore(zk.client(), silentLogger());
  await a.loadAll();
  await b.loadAll();
  return { zk, a, b };
}

describe('ZkScramCredentialStore', () => {
  test("writes Kafka's znode layout: /config/users/<sanitized user> and a users/<sanitized user> change notification", async () => {
    const { zk, a } = await twoBrokers();
    const credential = createScramCredential('SCRAM-SHA-256', 'pw', 8192);
    await a.alterUser('User:alice x', withSha256(credential));
    assert.deepEqual(zk.json('/config/users/User%3Aalice%20x'), {
      version: 1,
      config: { 'SCRAM-SHA-256': formatScramCredential(credential) },
    });
    const notifications = (await zk.getChildren('/config/changes')) ?? [];
    assert.equal(notifications.length, 1);
    assert.deepEqual(zk.json(`/config/changes/${notifications[0]}`), {
      version: 2,
      entity_path: 'users/User%3Aalice%20x',
    });
    assert.deepEqual(a.credential('User:alice x', 'SCRAM-SHA-256'), credential, 'the writing broker has it at once');
  });

  test('another broker describes it from ZooKeeper at once, and logs it in after the notification', async () => {
    const { a, b } = await twoBrokers();
    const credential = createScramCredential('SCRAM-SHA-256', 'pw', 4096);
    await a.alterUser('alice', withSha256(credential));
    assert.deepEqual((await b.describeUsers(['alice', 'nobody'])).get('alice')?.get('SCRAM-SHA-256'), credential);
    assert.deepEqual([...(await b.describeUsers(null)).keys()], ['alice']);
    assert.equal(b.credential('alice', 'SCRAM-SHA-256'), undefined, 'not before the notification');
    await b.reload('alice');
    assert.deepEqual(b.credential('alice', 'SCRAM-SHA-256'), credential);
  });

  test('a (re)starting broker loads every user', async () => {
    const { zk, a } = await twoBrokers();
    const credential = createScramCredential('SCRAM-SHA-512', 'pw', 4096);
    await a.alterUser('alice', () => new Map([['SCRAM-SHA-512', credential]]));
    await a.alterUser('bob/x', withSha256(createScramCredential('SCRAM-SHA-256', 'pw', 4096)));
    const c = new ZkScramCredentialStore(zk.client(), silentLogger());
    await c.loadAll();
    assert.deepEqual(c.credential('alice', 'SCRAM-SHA-512'), credential);
    assert.ok(c.credential('bob/x', 'SCRAM-SHA-256'));
  });

  test("keeps the user's quota configs and ignores client-quota entities", async () => {
    const { zk, a, b } = await twoBrokers();
    await zk.createRecursive('/config/users');
    await zk.create(
      '/config/users/alice',
      Buffer.from('{"version":1,"config":{"producer_byte_rate":"1024"}}'),
      'persistent',
    );
    const credential = createScramCredential('SCRAM-SHA-512', 'pw', 4096);
    await a.alterUser('alice', () => new Map([['SCRAM-SHA-512', credential]]));
    assert.deepEqual(zk.json('/config/users/alice'), {
      version: 1,
      config: { producer_byte_rate: '1024', 'SCRAM-SHA-512': formatScramCredential(credential) },
    });
    await a.alterUser('alice', () => new Map());
    assert.deepEqual(zk.json('/config/users/alice'), { version: 1, config: { producer_byte_rate: '1024' } });
    await b.reload('alice/clients/app-1');
    await b.reload('%zz');
    assert.equal((await b.describeUsers(null)).size, 0);
  });

  test('an alteration racing another broker’s on the same user is retried on top of it: neither is lost', async () => {
    const { zk, a, b } = await twoBrokers();
    const first = createScramCredential('SCRAM-SHA-256', 'a', 4096);
    const second = createScramCredential('SCRAM-SHA-512', 'b', 4096);
    let raced = false;
    zk.beforeWrite = async (path) => {
      if (raced || path !== '/config/users/alice') return;
      raced = true;
      // Broker B writes between A's read and A's write.
      await b.alterUser('alice', (current) => new Map([...current, ['SCRAM-SHA-512', second]]));
    };
    let calls = 0;
    await a.alterUser('alice', (current) => {
      calls++;
      return new Map([...current, ['SCRAM-SHA-256', first]]);
    });
    assert.equal(calls, 2, 'A read again after losing the race');
    const stored = (await a.describeUsers(['alice'])).get('alice');
    assert.deepEqual(stored?.get('SCRAM-SHA-256'), first);
    assert.deepEqual(stored?.get('SCRAM-SHA-512'), second);
  });

  test('a startup load does not overwrite a user re-read meanwhile', async () => {
    const { zk, a, b } = await twoBrokers();
    const old = createScramCredential('SCRAM-SHA-256', 'old', 4096);
    const fresh = createScramCredential('SCRAM-SHA-256', 'new', 4096);
    await a.alterUser('alice', withSha256(old));
    const original = zk.getData.bind(zk);
    let releaseLoad: (() => void) | undefined;
    const loadRead = new Promise<void>((resolve) => {
      releaseLoad = resolve;
    });
    // B's full load reads the old credential, then stalls; meanwhile the user changes and B is notified.
    zk.getData = async (path: string) => {
      const found = await original(path);
      if (path === '/config/users/alice' && releaseLoad !== undefined) await loadRead;
      return found;
    };
    const loading = b.loadAll();
    await new Promise((resolve) => setImmediate(resolve));
    zk.getData = original;
    await a.alterUser('alice', withSha256(fresh));
    await b.reload('alice');
    releaseLoad?.();
    await loading;
    assert.deepEqual(b.credential('alice', 'SCRAM-SHA-256'), fresh);
  });
});
