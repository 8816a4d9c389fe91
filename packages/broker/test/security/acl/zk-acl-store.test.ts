import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../../src/create-logger.js';
import { AclAuthorizer } from '../../../src/security/acl/acl-authorizer.js';
import { formatBinding } from '../../../src/security/acl/acl-binding.js';
import { ZkAclStore } from '../../../src/security/acl/zk-acl-store.js';
import { binding, filter } from './support/acl-fixtures.js';
import { WatchingZk } from './support/watching-zk.js';

/** One broker's authorizer over the shared ensemble. */
async function broker(zk: WatchingZk): Promise<AclAuthorizer> {
  const store = new ZkAclStore(zk.client(), silentLogger(), false);
  await store.init();
  return AclAuthorizer.start({
    store,
    superUsers: new Set(),
    allowEveryoneIfNoAclFound: false,
    auditLogger: silentLogger(),
    logger: silentLogger(),
  });
}

const children = (zk: WatchingZk, path: string) => zk.getChildren(path).then((c) => c ?? []);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('ZkAclStore', () => {
  test("creates Kafka's ACL paths", async () => {
    const zk = new WatchingZk();
    await broker(zk);
    assert.deepEqual(await children(zk, '/kafka-acl'), [
      'Cluster',
      'DelegationToken',
      'Group',
      'Topic',
      'TransactionalId',
      'User',
    ]);
    assert.equal((await children(zk, '/kafka-acl-extended/prefixed')).length, 6);
    assert.ok(zk.nodes.has('/kafka-acl-changes'));
    assert.ok(zk.nodes.has('/kafka-acl-extended-changes'));
  });

  test("writes Kafka's znodes and change notifications for LITERAL and PREFIXED patterns", async () => {
    const zk = new WatchingZk();
    const a = await broker(zk);
    await a.createAcls([
      binding('TOPIC', 't', 'User:alice', 'READ'),
      binding('TRANSACTIONAL_ID', 'tx-', 'User:alice', 'IDEMPOTENT_WRITE', {
        patternType: 'PREFIXED',
        permission: 'DENY',
        host: '10.0.0.1',
      }),
    ]);
    assert.deepEqual(zk.json('/kafka-acl/Topic/t'), {
      version: 1,
      acls: [{ principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' }],
    });
    assert.deepEqual(zk.json('/kafka-acl-extended/prefixed/TransactionalId/tx-'), {
      version: 1,
      acls: [{ principal: 'User:alice', permissionType: 'Deny', operation: 'IdempotentWrite', host: '10.0.0.1' }],
    });
    const [literal] = await children(zk, '/kafka-acl-changes');
    assert.match(literal ?? '', /^acl_changes_\d{10}$/);
    assert.equal(zk.nodes.get(`/kafka-acl-changes/${literal}`)?.data.toString(), 'TOPIC:t');
    const [extended] = await children(zk, '/kafka-acl-extended-changes');
    assert.deepEqual(zk.json(`/kafka-acl-extended-changes/${extended}`), {
      version: 1,
      resourceType: 'TRANSACTIONAL_ID',
      name: 'tx-',
      patternType: 'PREFIXED',
    });
  });

  test('another broker learns of changes through the notifications, and a new one loads everything', async () => {
    const zk = new WatchingZk();
    const a = await broker(zk);
    const b = await broker(zk);
    const acl = binding('GROUP', 'g', 'User:*', 'READ', { patternType: 'PREFIXED' });
    await a.createAcls([acl]);
    await settle();
    assert.deepEqual(b.acls(filter()).map(formatBinding), [formatBinding(acl)]);
    const c = await broker(zk);
    assert.deepEqual(c.acls(filter()).map(formatBinding), [formatBinding(acl)]);
    await b.deleteAcls([filter({ resourceType: 'GROUP' })]);
    await settle();
    assert.deepEqual(a.acls(filter()), []);
    assert.equal(zk.nodes.has('/kafka-acl-extended/prefixed/Group/g'), false, 'an emptied pattern loses its znode');
  });

  test('a conflicting write (BAD_VERSION) is re-read and retried, so neither broker loses its ACL', async () => {
    const zk = new WatchingZk();
    const a = await broker(zk);
    const b = await broker(zk);
    await a.createAcls([binding('TOPIC', 't', 'User:alice', 'READ')]);
    let raced = false;
    zk.beforeWrite = async (path) => {
      if (path !== '/kafka-acl/Topic/t' || raced) return;
      raced = true;
      // Broker b writes first, between a's read and a's conditional write.
      const saved = zk.beforeWrite;
      zk.beforeWrite = undefined;
      await b.createAcls([binding('TOPIC', 't', 'User:bob', 'READ')]);
      zk.beforeWrite = saved;
    };
    const [result] = await a.createAcls([binding('TOPIC', 't', 'User:carol', 'READ')]);
    assert.equal(result?.errorCode, 0);
    const stored = zk.json('/kafka-acl/Topic/t') as { acls: { principal: string }[] };
    assert.deepEqual(stored.acls.map((x) => x.principal).sort(), ['User:alice', 'User:bob', 'User:carol']);
  });

  test('reads ACLs written by Kafka (upper-case names, empty znodes) and ignores unknown type directories', async () => {
    const zk = new WatchingZk();
    await zk.createRecursive('/kafka-acl/Topic');
    await zk.create(
      '/kafka-acl/Topic/legacy',
      Buffer.from(
        '{"version":1,"acls":[{"principal":"User:x","permissionType":"ALLOW","operation":"DESCRIBE_CONFIGS","host":"*"}]}',
      ),
      'persistent',
    );
    await zk.create('/kafka-acl/Topic/empty', Buffer.alloc(0), 'persistent');
    await zk.createRecursive('/kafka-acl/Mystery/x');
    const a = await broker(zk);
    assert.deepEqual(a.acls(filter()).map(formatBinding), [
      formatBinding(binding('TOPIC', 'legacy', 'User:x', 'DESCRIBE_CONFIGS')),
    ]);
  });
});
