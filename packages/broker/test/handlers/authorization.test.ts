import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { BrokerServices } from '../../src/broker-services.js';
import {
  authorizableContext,
  authorize,
  authorizeByResourceType,
  filterAuthorized,
  requireClusterOperation,
  requireGroup,
} from '../../src/handlers/authorization.js';
import {
  ALL_CLUSTER_OPERATIONS,
  ALL_GROUP_OPERATIONS,
  ALL_TOPIC_OPERATIONS,
  authorizedOperations,
} from '../../src/handlers/authorized-operations.js';
import type { RequestContext } from '../../src/handlers/handler.js';
import { AclOperationCode as Op, ResourceType } from '../../src/security/authorizer.js';
import { userPrincipal } from '../../src/security/kafka-principal.js';
import { FakeAuthorizer } from './support/acl-harness.js';

function contextWith(authorizer: FakeAuthorizer | undefined): RequestContext {
  const services = (authorizer === undefined ? {} : { authorizer }) as unknown as BrokerServices;
  return {
    apiKey: 0,
    apiVersion: 0,
    correlationId: 1,
    clientId: 'c',
    clientHost: '/10.0.0.7',
    listenerName: 'SASL_PLAINTEXT',
    securityProtocol: 'SASL_PLAINTEXT',
    principal: userPrincipal('alice'),
    receivedAtMs: 0,
    services,
  };
}

describe('request authorization', () => {
  test('without an authorizer everything is allowed', () => {
    const ctx = contextWith(undefined);
    assert.equal(authorize(ctx, Op.WRITE, ResourceType.TOPIC, 't'), true);
    assert.equal(filterAuthorized(ctx, Op.READ, ResourceType.TOPIC, ['a', 'b']).has('anything'), true);
    assert.equal(authorizeByResourceType(ctx, Op.WRITE, ResourceType.TOPIC), true);
    requireClusterOperation(ctx, Op.CLUSTER_ACTION);
    requireGroup(ctx, Op.READ, 'g');
    assert.equal(authorizedOperations(ctx, ResourceType.TOPIC, 't'), ALL_TOPIC_OPERATIONS);
    assert.equal(authorizedOperations(ctx, ResourceType.GROUP, 'g'), ALL_GROUP_OPERATIONS);
  });

  test("the authorizer sees the principal, the client's address without Kafka's slash, the listener and the API", () => {
    const authorizer = new FakeAuthorizer();
    const ctx = contextWith(authorizer);
    authorize(ctx, Op.READ, ResourceType.TOPIC, 't');
    authorize(ctx, Op.READ, ResourceType.TOPIC, 'u');
    const [first, second] = authorizer.calls;
    assert.deepEqual(first?.context, {
      principal: userPrincipal('alice'),
      clientAddress: '10.0.0.7',
      listenerName: 'SASL_PLAINTEXT',
      requestType: ctx.apiKey,
    });
    assert.equal(second?.context, first?.context, 'built once per request');
    assert.equal(authorizableContext(ctx), first?.context);
  });

  test('filterAuthorized asks once, each distinct name once', () => {
    const authorizer = new FakeAuthorizer().allow(Op.WRITE, ResourceType.TOPIC, 'b');
    const allowed = filterAuthorized(contextWith(authorizer), Op.WRITE, ResourceType.TOPIC, ['a', 'b', 'a', 'c']);
    assert.equal(authorizer.calls.length, 1);
    assert.deepEqual(
      authorizer.calls[0]?.actions.map((a) => a.resourceName),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      ['a', 'b', 'c'].map((n) => allowed.has(n)),
      [false, true, false],
    );
    assert.equal(filterAuthorized(contextWith(authorizer), Op.WRITE, ResourceType.TOPIC, []).has('b'), false);
    assert.equal(authorizer.calls.length, 1, 'nothing to ask, no call');
  });

  test('refusals of a whole request carry the Kafka error', () => {
    const ctx = contextWith(new FakeAuthorizer());
    assert.throws(
      () => requireClusterOperation(ctx, Op.ALTER),
      (err) => err instanceof KafkaError && err.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
    );
    assert.throws(
      () => requireGroup(ctx, Op.READ, 'g'),
      (err) => err instanceof KafkaError && err.errorCode === ErrorCode.GROUP_AUTHORIZATION_FAILED,
    );
  });

  test("authorized operations are the allowed subset of the resource type's operations, in one call", () => {
    const authorizer = new FakeAuthorizer()
      .allow(Op.READ, ResourceType.TOPIC, 't')
      .allow(Op.DESCRIBE, ResourceType.TOPIC, 't')
      .allow(Op.CLUSTER_ACTION, ResourceType.CLUSTER);
    const ctx = contextWith(authorizer);
    assert.equal(authorizedOperations(ctx, ResourceType.TOPIC, 't'), (1 << Op.READ) | (1 << Op.DESCRIBE));
    assert.equal(authorizer.calls.length, 1);
    assert.equal(authorizedOperations(ctx, ResourceType.TOPIC, 'other'), 0);
    assert.equal(authorizedOperations(ctx, ResourceType.CLUSTER, 'kafka-cluster'), 1 << Op.CLUSTER_ACTION);
    assert.equal(
      ALL_CLUSTER_OPERATIONS,
      [Op.CREATE, Op.CLUSTER_ACTION, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS, Op.IDEMPOTENT_WRITE, Op.ALTER, Op.DESCRIBE]
        .map((o) => 1 << o)
        .reduce((a, b) => a | b),
    );
  });
});
