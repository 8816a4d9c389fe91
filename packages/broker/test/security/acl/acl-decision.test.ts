import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AclOperation,
  type AclOperationName,
  AclResourceType,
  type AclResourceTypeName,
  ApiKey,
} from '@samsa/protocol';
import type { AclAuthorizer } from '../../../src/security/acl/acl-authorizer.js';
import type { AuthorizableRequestContext } from '../../../src/security/authorizer.js';
import { authorizerWith, binding, capturingLogger, context } from './support/acl-fixtures.js';

/** One decision: may `ctx` do `operation` on the resource? */
function may(
  authorizer: AclAuthorizer,
  ctx: AuthorizableRequestContext,
  operation: AclOperationName,
  resourceType: AclResourceTypeName,
  name: string,
): boolean {
  const [allowed] = authorizer.authorize(ctx, [
    { operation: AclOperation[operation], resourceType: AclResourceType[resourceType], resourceName: name },
  ]);
  return allowed === true;
}

const alice = context('User:alice', '10.0.0.1');
const bob = context('User:bob', '10.0.0.2');

describe('AclAuthorizer decisions (Kafka AclAuthorizer semantics)', () => {
  test('no ACL at all: denied, unless allow.everyone.if.no.acl.found', async () => {
    const { authorizer } = await authorizerWith([]);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 't'), false);
    const open = await authorizerWith([], { allowEveryoneIfNoAclFound: true });
    assert.equal(may(open.authorizer, alice, 'READ', 'TOPIC', 't'), true);
  });

  test('allow.everyone.if.no.acl.found only counts when no ACL applies to the resource', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', 't', 'User:bob', 'READ')], {
      allowEveryoneIfNoAclFound: true,
    });
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 't'), false, 'an ACL exists for t, none for alice');
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'other'), true, 'no ACL for other');
    assert.equal(may(authorizer, alice, 'READ', 'GROUP', 't'), true, 'ACLs are per resource type');
  });

  test('a LITERAL ALLOW grants its operation on that name only, to that principal only', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'READ')]);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, alice, 'WRITE', 'TOPIC', 't'), false);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 't2'), false);
    assert.equal(may(authorizer, bob, 'READ', 'TOPIC', 't'), false);
  });

  test('a matching DENY wins over any ALLOW, whatever the pattern that carries it', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', '*', 'User:*', 'ALL'),
      binding('TOPIC', 'pay', 'User:alice', 'WRITE', { permission: 'DENY', patternType: 'PREFIXED' }),
    ]);
    assert.equal(may(authorizer, alice, 'WRITE', 'TOPIC', 'payments'), false);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'payments'), true, 'DENY WRITE does not deny READ');
    assert.equal(may(authorizer, alice, 'WRITE', 'TOPIC', 'orders'), true);
    assert.equal(may(authorizer, bob, 'WRITE', 'TOPIC', 'payments'), true);
  });

  test('DENY ALL denies every operation; a DENY implies nothing (DENY READ leaves DESCRIBE)', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', 't', 'User:alice', 'ALL'),
      binding('TOPIC', 't', 'User:alice', 'READ', { permission: 'DENY' }),
      binding('GROUP', 'g', 'User:alice', 'ALL'),
      binding('GROUP', 'g', 'User:alice', 'ALL', { permission: 'DENY' }),
    ]);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 't'), false);
    assert.equal(may(authorizer, alice, 'DESCRIBE', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, alice, 'WRITE', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, alice, 'DESCRIBE', 'GROUP', 'g'), false);
  });

  test('PREFIXED patterns apply to every name starting with the prefix, and only those', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', 'pay', 'User:alice', 'READ', { patternType: 'PREFIXED' }),
      binding('GROUP', 'app-', 'User:alice', 'READ', { patternType: 'PREFIXED' }),
    ]);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'pay'), true, 'the prefix itself');
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'payments'), true);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'pa'), false);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'xpayments'), false);
    assert.equal(may(authorizer, alice, 'READ', 'GROUP', 'app-1'), true);
    assert.equal(may(authorizer, alice, 'READ', 'GROUP', 'app'), false);
  });

  test('a LITERAL `*` is every resource of its type; a LITERAL named `x*` is not a pattern', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', '*', 'User:alice', 'READ'),
      binding('GROUP', 'g*', 'User:alice', 'READ'),
    ]);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 'anything'), true);
    assert.equal(may(authorizer, alice, 'READ', 'GROUP', 'g1'), false);
    assert.equal(may(authorizer, alice, 'READ', 'GROUP', 'g*'), true);
  });

  test('User:* matches every principal (of any type, as in Kafka); Group:* is no wildcard', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', 't', 'User:*', 'READ'),
      binding('TOPIC', 'g', 'Group:*', 'READ'),
    ]);
    assert.equal(may(authorizer, alice, 'READ', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, bob, 'READ', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, context('Group:ops'), 'READ', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, context('Group:ops'), 'READ', 'TOPIC', 'g'), false);
    assert.equal(may(authorizer, context('Group:*'), 'READ', 'TOPIC', 'g'), true, 'only that very principal');
  });

  test('hosts: an ACL for one address applies from that address only; `*` from anywhere', async () => {
    const { authorizer } = await authorizerWith([
      binding('TOPIC', 't', 'User:alice', 'READ', { host: '10.0.0.1' }),
      binding('TOPIC', 'all', 'User:alice', 'READ', { host: '*' }),
      binding('TOPIC', 'all', 'User:alice', 'READ', { host: '10.0.0.9', permission: 'DENY' }),
    ]);
    assert.equal(may(authorizer, context('User:alice', '10.0.0.1'), 'READ', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, context('User:alice', '10.0.0.2'), 'READ', 'TOPIC', 't'), false);
    assert.equal(may(authorizer, context('User:alice', '10.0.0.2'), 'READ', 'TOPIC', 'all'), true);
    assert.equal(may(authorizer, context('User:alice', '10.0.0.9'), 'READ', 'TOPIC', 'all'), false);
  });

  test('implied operations: READ, WRITE, DELETE and ALTER allow DESCRIBE; ALTER_CONFIGS allows DESCRIBE_CONFIGS', async () => {
    for (const op of ['READ', 'WRITE', 'DELETE', 'ALTER'] as const) {
      const { authorizer } = await authorizerWith([binding('TOPIC', 't', 'User:alice', op)]);
      assert.equal(may(authorizer, alice, 'DESCRIBE', 'TOPIC', 't'), true, `${op} implies DESCRIBE`);
      assert.equal(
        may(authorizer, alice, 'DESCRIBE_CONFIGS', 'TOPIC', 't'),
        false,
        `${op} does not imply DESCRIBE_CONFIGS`,
      );
    }
    const configs = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'ALTER_CONFIGS')]);
    assert.equal(may(configs.authorizer, alice, 'DESCRIBE_CONFIGS', 'TOPIC', 't'), true);
    assert.equal(may(configs.authorizer, alice, 'DESCRIBE', 'TOPIC', 't'), false);
    const create = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'CREATE')]);
    assert.equal(may(create.authorizer, alice, 'DESCRIBE', 'TOPIC', 't'), false, 'CREATE implies nothing');
    const describe = await authorizerWith([binding('TOPIC', 't', 'User:alice', 'DESCRIBE')]);
    assert.equal(may(describe.authorizer, alice, 'READ', 'TOPIC', 't'), false, 'implication is one way');
  });

  test('ALL allows every operation', async () => {
    const { authorizer } = await authorizerWith([binding('CLUSTER', 'kafka-cluster', 'User:alice', 'ALL')]);
    for (const op of ['CREATE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'IDEMPOTENT_WRITE', 'ALTER_CONFIGS'] as const) {
      assert.equal(may(authorizer, alice, op, 'CLUSTER', 'kafka-cluster'), true, op);
    }
  });

  test('super users are allowed everything, DENY ACLs notwithstanding', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', '*', 'User:admin', 'ALL', { permission: 'DENY' })], {
      superUsers: ['User:admin', 'User:broker'],
    });
    assert.equal(may(authorizer, context('User:admin'), 'WRITE', 'TOPIC', 't'), true);
    assert.equal(may(authorizer, context('User:broker'), 'CLUSTER_ACTION', 'CLUSTER', 'kafka-cluster'), true);
    assert.equal(may(authorizer, alice, 'WRITE', 'TOPIC', 't'), false);
  });

  test('one decision per action, in order', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', 'a', 'User:alice', 'READ')]);
    const decisions = authorizer.authorize(alice, [
      { operation: AclOperation.READ, resourceType: AclResourceType.TOPIC, resourceName: 'b' },
      { operation: AclOperation.READ, resourceType: AclResourceType.TOPIC, resourceName: 'a' },
    ]);
    assert.deepEqual(decisions, [false, true]);
  });

  test("denials are logged at info in Kafka's words, unless the action says not to", async () => {
    const audit = capturingLogger();
    const { authorizer } = await authorizerWith([], { auditLogger: audit });
    const ctx = context('User:bob', '127.0.0.1', ApiKey.Produce);
    authorizer.authorize(ctx, [
      { operation: AclOperation.WRITE, resourceType: AclResourceType.TOPIC, resourceName: 't' },
      { operation: AclOperation.READ, resourceType: AclResourceType.TOPIC, resourceName: 'quiet', logIfDenied: false },
      {
        operation: AclOperation.WRITE,
        resourceType: AclResourceType.TRANSACTIONAL_ID,
        resourceName: 'tx',
        resourceReferenceCount: 2,
      },
    ]);
    assert.deepEqual(audit.lines, [
      'Principal = User:bob is Denied operation = WRITE from host = 127.0.0.1 on resource = Topic:LITERAL:t for request = Produce with resourceRefCount = 1',
      'Principal = User:bob is Denied operation = WRITE from host = 127.0.0.1 on resource = TransactionalId:LITERAL:tx for request = Produce with resourceRefCount = 2',
    ]);
  });
});

describe('AclAuthorizer.authorizeByResourceType (Kafka default implementation, KIP-679)', () => {
  const byType = (
    authorizer: AclAuthorizer,
    ctx: AuthorizableRequestContext,
    op: AclOperationName,
    type: AclResourceTypeName,
  ) => authorizer.authorizeByResourceType(ctx, AclOperation[op], AclResourceType[type]);

  test('allowed when some ALLOW for the principal names a resource of the type', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', 'orders', 'User:alice', 'WRITE')]);
    assert.equal(byType(authorizer, alice, 'WRITE', 'TOPIC'), true);
    assert.equal(byType(authorizer, bob, 'WRITE', 'TOPIC'), false, 'not for another principal');
    assert.equal(byType(authorizer, alice, 'READ', 'TOPIC'), false, 'not for another operation');
    assert.equal(byType(authorizer, alice, 'WRITE', 'GROUP'), false, 'not for another type');
  });

  test('a DENY covering the allowed resource (same LITERAL, or a PREFIXED prefix of it) cancels it', async () => {
    const sameName = await authorizerWith([
      binding('TOPIC', 'orders', 'User:alice', 'WRITE'),
      binding('TOPIC', 'orders', 'User:alice', 'WRITE', { permission: 'DENY' }),
    ]);
    assert.equal(byType(sameName.authorizer, alice, 'WRITE', 'TOPIC'), false);
    const prefix = await authorizerWith([
      binding('TOPIC', 'orders-eu', 'User:alice', 'WRITE', { patternType: 'PREFIXED' }),
      binding('TOPIC', 'orders', 'User:alice', 'WRITE', { permission: 'DENY', patternType: 'PREFIXED' }),
    ]);
    assert.equal(byType(prefix.authorizer, alice, 'WRITE', 'TOPIC'), false);
    const elsewhere = await authorizerWith([
      binding('TOPIC', 'orders', 'User:alice', 'WRITE'),
      binding('TOPIC', 'payments', 'User:alice', 'WRITE', { permission: 'DENY', patternType: 'PREFIXED' }),
    ]);
    assert.equal(byType(elsewhere.authorizer, alice, 'WRITE', 'TOPIC'), true, 'a DENY elsewhere leaves it');
  });

  test('a LITERAL `*` DENY denies the whole type; a LITERAL `*` ALLOW allows it', async () => {
    const denyAll = await authorizerWith([
      binding('TOPIC', 'orders', 'User:alice', 'WRITE'),
      binding('TOPIC', '*', 'User:*', 'WRITE', { permission: 'DENY' }),
    ]);
    assert.equal(byType(denyAll.authorizer, alice, 'WRITE', 'TOPIC'), false);
    const allowAll = await authorizerWith([binding('TOPIC', '*', 'User:*', 'ALL')]);
    assert.equal(byType(allowAll.authorizer, alice, 'WRITE', 'TOPIC'), true);
  });

  test('super users, and allow.everyone.if.no.acl.found without ACLs, are allowed', async () => {
    const supers = await authorizerWith([], { superUsers: ['User:admin'] });
    assert.equal(byType(supers.authorizer, context('User:admin'), 'IDEMPOTENT_WRITE', 'CLUSTER'), true);
    const open = await authorizerWith([], { allowEveryoneIfNoAclFound: true });
    assert.equal(byType(open.authorizer, alice, 'WRITE', 'TOPIC'), true);
  });

  test('implied operations do not count (as in Kafka): READ on a topic is not DESCRIBE on some topic', async () => {
    const { authorizer } = await authorizerWith([binding('TOPIC', 'orders', 'User:alice', 'READ')]);
    assert.equal(byType(authorizer, alice, 'DESCRIBE', 'TOPIC'), false);
  });

  test('the probe is not logged as a denial', async () => {
    const audit = capturingLogger();
    const { authorizer } = await authorizerWith([], { auditLogger: audit });
    byType(authorizer, alice, 'WRITE', 'TOPIC');
    assert.deepEqual(audit.lines, []);
  });
});
