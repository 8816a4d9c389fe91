/**
 * ACLs in a ZooKeeper cluster (2 brokers): stored in Kafka's ZooKeeper layout, and followed by
 * every broker through the change notifications — what is created on one broker is described,
 * enforced and deletable on the other; a restarted broker loads them all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KafkaZkClient } from '@samsa/broker';
import { Admin, ErrorCode, KafkaError } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { bootstrapOf, eventually, zkClient } from './cluster-support.js';

const CHANGE = /^acl_changes_\d{10}$/;

describe('ACLs in a ZooKeeper cluster (2 brokers)', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;
  /** Admin clients that only know one broker each. */
  let onA: Admin;
  let onB: Admin;

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 2,
      properties: {
        'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
        'allow.everyone.if.no.acl.found': true,
      },
    });
    zk = await zkClient(cluster);
    onA = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, 0) });
    onB = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, 1) });
  });

  after(async () => {
    await onA?.close();
    await onB?.close();
    zk?.close();
    await cluster?.close();
  });

  const json = async (path: string) => {
    const found = await zk.getData(path);
    return found === undefined ? undefined : JSON.parse(found.data.toString('utf8'));
  };

  test("ACLs created on one broker are in Kafka's znodes and described by the other", async () => {
    await onA.createAcls([
      {
        resourceType: 'TOPIC',
        resourceName: 'orders',
        principal: 'User:alice',
        operation: 'READ',
        permissionType: 'ALLOW',
      },
      {
        resourceType: 'GROUP',
        resourceName: 'app-',
        patternType: 'PREFIXED',
        principal: 'User:alice',
        host: '10.0.0.1',
        operation: 'READ',
        permissionType: 'DENY',
      },
    ]);
    assert.deepEqual(await json('/kafka-acl/Topic/orders'), {
      version: 1,
      acls: [{ principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' }],
    });
    assert.deepEqual(await json('/kafka-acl-extended/prefixed/Group/app-'), {
      version: 1,
      acls: [{ principal: 'User:alice', permissionType: 'Deny', operation: 'Read', host: '10.0.0.1' }],
    });
    const literalChanges = (await zk.getChildren('/kafka-acl-changes')) ?? [];
    assert.ok(literalChanges.length >= 1 && literalChanges.every((c) => CHANGE.test(c)), String(literalChanges));
    const lastLiteral = await zk.getData(`/kafka-acl-changes/${literalChanges.at(-1)}`);
    assert.equal(lastLiteral?.data.toString('utf8'), 'TOPIC:orders');
    const extendedChanges = (await zk.getChildren('/kafka-acl-extended-changes')) ?? [];
    assert.deepEqual(await json(`/kafka-acl-extended-changes/${extendedChanges.at(-1)}`), {
      version: 1,
      resourceType: 'GROUP',
      name: 'app-',
      patternType: 'PREFIXED',
    });

    const onBroker1 = await eventually(
      async () => {
        const found = await onB.describeAcls();
        return found.length === 2 ? found : undefined;
      },
      10000,
      'broker 1 to describe the ACLs created on broker 0',
    );
    assert.deepEqual(
      onBroker1.map((b) => `${b.resourceType}:${b.patternType}:${b.resourceName}:${b.permissionType}`).sort(),
      ['GROUP:PREFIXED:app-:DENY', 'TOPIC:LITERAL:orders:ALLOW'],
    );
  });

  test('ACLs deleted on the other broker are gone everywhere, znodes included', async () => {
    const [deleted] = await onB.deleteAcls([{ principal: 'User:alice' }]);
    assert.equal(deleted?.matchingAcls.length, 2);
    assert.equal(await zk.exists('/kafka-acl/Topic/orders'), undefined);
    assert.equal(await zk.exists('/kafka-acl-extended/prefixed/Group/app-'), undefined);
    await eventually(async () => (await onA.describeAcls()).length === 0, 10000, 'broker 0 to see the deletion');
  });

  test('a restarted broker loads the ACLs from ZooKeeper', async () => {
    await onA.createAcls([
      {
        resourceType: 'TRANSACTIONAL_ID',
        resourceName: 'tx',
        principal: 'User:bob',
        operation: 'WRITE',
        permissionType: 'ALLOW',
      },
    ]);
    await onB.close();
    await cluster.restart(1);
    onB = new Admin({ 'bootstrap.servers': bootstrapOf(cluster, 1) });
    assert.deepEqual(
      (await onB.describeAcls()).map((b) => `${b.resourceType}:${b.resourceName}:${b.principal}`),
      ['TRANSACTIONAL_ID:tx:User:bob'],
    );
    await onB.deleteAcls([{}]);
  });

  test("a DENY created on one broker is enforced by the other's authorizer", async () => {
    // Until an ACL names the cluster, allow.everyone.if.no.acl.found lets ANONYMOUS alter ACLs.
    await onA.createAcls([
      {
        resourceType: 'CLUSTER',
        resourceName: 'kafka-cluster',
        principal: 'User:ANONYMOUS',
        operation: 'ALTER',
        permissionType: 'DENY',
      },
    ]);
    const refusal = await eventually(
      async () => {
        const error = await onB
          .createAcls([
            {
              resourceType: 'TOPIC',
              resourceName: 't',
              principal: 'User:x',
              operation: 'READ',
              permissionType: 'ALLOW',
            },
          ])
          .then(
            async () => {
              await onB.deleteAcls([{ resourceType: 'TOPIC', resourceName: 't' }]);
              return undefined;
            },
            (e: unknown) => e,
          );
        return error;
      },
      10000,
      'broker 1 to refuse CreateAcls',
    );
    assert.ok(refusal instanceof KafkaError);
    assert.equal(refusal.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  });
});
