import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AclOperation, AclResourceType, ErrorCode } from '@samsa/protocol';
import { AclAuthorizer } from '../../../src/security/acl/acl-authorizer.js';
import { type AclBinding, formatBinding } from '../../../src/security/acl/acl-binding.js';
import { authorizerWith, binding, capturingLogger, context, filter } from './support/acl-fixtures.js';

const names = (bindings: readonly AclBinding[]) => bindings.map(formatBinding).sort();

describe('AclAuthorizer.createAcls', () => {
  test('stores valid bindings at once (decisions and listing see them) and refuses invalid ones with INVALID_REQUEST', async () => {
    const { authorizer, store } = await authorizerWith([]);
    const results = await authorizer.createAcls([
      binding('TOPIC', 't', 'User:alice', 'READ'),
      binding('CLUSTER', 'other', 'User:alice', 'ALTER'),
      binding('TOPIC', '*', 'User:alice', 'READ', { patternType: 'PREFIXED' }),
      binding('TOPIC', 't', 'alice', 'READ'),
      binding('TOPIC', '', 'User:alice', 'READ'),
      binding('TOPIC', 'a/b', 'User:alice', 'READ'),
      binding('ANY', 't', 'User:alice', 'READ'),
      binding('TOPIC', 't', 'User:alice', 'ANY'),
      { ...binding('TOPIC', 't', 'User:alice', 'READ'), pattern: { resourceType: 2, name: 't', patternType: 2 } },
      binding('TOPIC', 't', 'User:bob', 'WRITE', { permission: 'DENY' }),
    ]);
    assert.deepEqual(
      results.map((r) => r.errorCode),
      [0, 42, 42, 42, 42, 42, 42, 42, 42, 0],
    );
    assert.equal(results[1]?.errorMessage, 'The only valid name for the CLUSTER resource is kafka-cluster');
    assert.equal(results[3]?.errorMessage, 'expected a string in format principalType:principalName but got alice');
    assert.equal(results[4]?.errorMessage, 'Invalid empty resource name');
    assert.deepEqual(names(authorizer.acls(filter())), [
      formatBinding(binding('TOPIC', 't', 'User:alice', 'READ')),
      formatBinding(binding('TOPIC', 't', 'User:bob', 'WRITE', { permission: 'DENY' })),
    ]);
    assert.equal(store.updates, 1, 'one store update per pattern');
    assert.equal(authorizer.aclCount, 2);
    const [allowed] = authorizer.authorize(context('User:alice'), [
      { operation: AclOperation.READ, resourceType: AclResourceType.TOPIC, resourceName: 't' },
    ]);
    assert.equal(allowed, true);
  });

  test('creating a binding that exists succeeds and keeps one copy', async () => {
    const { authorizer } = await authorizerWith([binding('GROUP', 'g', 'User:alice', 'READ')]);
    const results = await authorizer.createAcls([
      binding('GROUP', 'g', 'User:alice', 'READ'),
      binding('GROUP', 'g', 'User:alice', 'READ'),
    ]);
    assert.deepEqual(
      results.map((r) => r.errorCode),
      [0, 0],
    );
    assert.equal(authorizer.acls(filter()).length, 1);
  });

  test("a failing store update fails that pattern's bindings only, and leaves the cache alone", async () => {
    const { authorizer, store } = await authorizerWith([]);
    store.failNextUpdate = new Error('ZooKeeper is gone');
    const results = await authorizer.createAcls([
      binding('TOPIC', 'a', 'User:alice', 'READ'),
      binding('TOPIC', 'a', 'User:bob', 'READ'),
      binding('TOPIC', 'b', 'User:alice', 'READ'),
    ]);
    assert.deepEqual(
      results.map((r) => [r.errorCode, r.errorMessage]),
      [
        [ErrorCode.UNKNOWN_SERVER_ERROR, 'ZooKeeper is gone'],
        [ErrorCode.UNKNOWN_SERVER_ERROR, 'ZooKeeper is gone'],
        [0, null],
      ],
    );
    assert.deepEqual(names(authorizer.acls(filter())), [formatBinding(binding('TOPIC', 'b', 'User:alice', 'READ'))]);
  });
});

describe('AclAuthorizer.acls (DescribeAcls filters)', () => {
  const stored = [
    binding('TOPIC', 'payments', 'User:alice', 'READ'),
    binding('TOPIC', 'pay', 'User:bob', 'WRITE', { patternType: 'PREFIXED' }),
    binding('TOPIC', '*', 'User:carol', 'DESCRIBE'),
    binding('TOPIC', 'orders', 'User:alice', 'READ', { permission: 'DENY', host: '10.0.0.1' }),
    binding('GROUP', 'payments', 'User:alice', 'READ'),
  ];

  test('ANY pattern type compares names exactly across LITERAL and PREFIXED; MATCH finds what applies to a name', async () => {
    const { authorizer } = await authorizerWith(stored);
    const [payments, pay, star, orders, group] = stored.map(formatBinding);
    const find = (f: Parameters<typeof filter>[0]) => authorizer.acls(filter(f)).map(formatBinding).sort();
    assert.deepEqual(find({}), [payments, pay, star, orders, group].sort());
    assert.deepEqual(find({ resourceType: 'TOPIC', name: 'payments', patternType: 'ANY' }), [payments]);
    assert.deepEqual(find({ resourceType: 'TOPIC', name: 'pay', patternType: 'ANY' }), [pay]);
    assert.deepEqual(
      find({ resourceType: 'TOPIC', name: 'payments', patternType: 'MATCH' }),
      [payments, pay, star].sort(),
    );
    assert.deepEqual(find({ resourceType: 'TOPIC', name: 'payments', patternType: 'LITERAL' }), [payments]);
    assert.deepEqual(find({ resourceType: 'TOPIC', patternType: 'PREFIXED' }), [pay]);
    assert.deepEqual(find({ name: 'payments' }), [payments, group].sort(), 'ANY resource type');
    assert.deepEqual(find({ resourceType: 'TOPIC', name: '*', patternType: 'LITERAL' }), [star], '`*` is just a name');
  });

  test('entry filters: principal, host, operation and permission, each exact or any', async () => {
    const { authorizer } = await authorizerWith(stored);
    const find = (f: Parameters<typeof filter>[0]) => authorizer.acls(filter(f)).map(formatBinding).sort();
    assert.equal(find({ principal: 'User:alice' }).length, 3);
    assert.deepEqual(find({ host: '10.0.0.1' }), [formatBinding(stored[3] as AclBinding)]);
    assert.deepEqual(find({ permission: 'DENY' }), [formatBinding(stored[3] as AclBinding)]);
    assert.deepEqual(find({ operation: 'WRITE' }), [formatBinding(stored[1] as AclBinding)]);
    assert.deepEqual(find({ operation: 'ALL' }), [], 'ALL in a filter is the operation ALL, not "any"');
  });
});

describe('AclAuthorizer.deleteAcls', () => {
  test('deletes what each filter matches and returns it; a binding matched twice is reported by the first filter', async () => {
    const { authorizer, store } = await authorizerWith([
      binding('TOPIC', 't', 'User:alice', 'READ'),
      binding('TOPIC', 't', 'User:bob', 'READ'),
      binding('TOPIC', 'pay', 'User:alice', 'WRITE', { patternType: 'PREFIXED' }),
      binding('GROUP', 'g', 'User:alice', 'READ'),
    ]);
    const results = await authorizer.deleteAcls([
      filter({ principal: 'User:alice', resourceType: 'TOPIC' }),
      filter({ resourceType: 'TOPIC', name: 't' }),
      filter({ resourceType: 'GROUP', name: 'nothing' }),
    ]);
    assert.deepEqual(
      results.map((r) => r.deleted.map((d) => formatBinding(d.binding)).sort()),
      [
        [
          formatBinding(binding('TOPIC', 'pay', 'User:alice', 'WRITE', { patternType: 'PREFIXED' })),
          formatBinding(binding('TOPIC', 't', 'User:alice', 'READ')),
        ],
        [formatBinding(binding('TOPIC', 't', 'User:bob', 'READ'))],
        [],
      ],
    );
    assert.deepEqual(names(authorizer.acls(filter())), [formatBinding(binding('GROUP', 'g', 'User:alice', 'READ'))]);
    assert.equal(store.resources.size, 1, 'emptied patterns are removed from the store');
  });

  test('MATCH deletes every pattern applying to a name', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', 'payments', 'User:alice', 'READ'),
      binding('TOPIC', 'pay', 'User:alice', 'READ', { patternType: 'PREFIXED' }),
      binding('TOPIC', '*', 'User:alice', 'READ'),
      binding('TOPIC', 'orders', 'User:alice', 'READ'),
    ]);
    const [result] = await authorizer.deleteAcls([
      filter({ resourceType: 'TOPIC', name: 'payments', patternType: 'MATCH' }),
    ]);
    assert.equal(result?.deleted.length, 3);
    assert.deepEqual(names(authorizer.acls(filter())), [
      formatBinding(binding('TOPIC', 'orders', 'User:alice', 'READ')),
    ]);
  });

  test('a filter naming one pattern exactly also deletes what the store has but this cache has not yet', async () => {
    const { authorizer, store } = await authorizerWith([]);
    const late = binding('TOPIC', 'late', 'User:alice', 'READ');
    store.set(late.pattern, [late.entry]);
    const [exact, any] = await authorizer.deleteAcls([
      filter({ resourceType: 'TOPIC', name: 'late', patternType: 'LITERAL' }),
      filter({}),
    ]);
    assert.equal(exact?.deleted.length, 1);
    assert.equal(any?.deleted.length, 0);
    assert.equal(store.resources.size, 0);
  });

  test('a filter with UNKNOWN parts gets INVALID_REQUEST and deletes nothing', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'READ')]);
    const unknown = filter({ resourceType: 'UNKNOWN' });
    const [result] = await authorizer.deleteAcls([unknown]);
    assert.equal(result?.errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal(authorizer.acls(filter()).length, 1);
  });
});

describe('AclAuthorizer and its store', () => {
  test('loads what the store holds at startup', async () => {
    const { store } = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'READ')]);
    const restarted = await AclAuthorizer.start({
      store,
      superUsers: new Set(),
      allowEveryoneIfNoAclFound: false,
      auditLogger: capturingLogger(),
      logger: capturingLogger(),
    });
    assert.deepEqual(names(restarted.acls(filter())), [formatBinding(binding('TOPIC', 't', 'User:alice', 'READ'))]);
  });

  test('follows changes made elsewhere', async () => {
    const { authorizer, store } = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'READ')]);
    const other = binding('TOPIC', 't', 'User:bob', 'READ');
    store.changeBehindTheBack(other.pattern, [other.entry]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(names(authorizer.acls(filter())), [formatBinding(other)]);
  });
});
