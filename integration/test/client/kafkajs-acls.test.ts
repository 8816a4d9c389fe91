/**
 * KafkaJS's ACL admin calls (createAcls, describeAcls, deleteAcls, with its enum exports) through
 * `@samsa/client/kafkajs`, against a broker with Kafka's authorizer class configured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  ResourcePatternTypes,
} from '@samsa/client/kafkajs';
import { BrokerProcess } from '@samsa/testkit';

describe('KafkaJS-compatible ACL calls', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
        // Over PLAINTEXT every client is User:ANONYMOUS: let it administer.
        'super.users': 'User:ANONYMOUS',
      },
    });
  });
  after(async () => {
    await broker?.close();
  });

  it('creates, describes and deletes ACLs with KafkaJS shapes and codes', async () => {
    const admin = new Kafka({ brokers: [broker.bootstrap], clientId: 'kjs-acls' }).admin();
    await admin.connect();
    try {
      const acl = {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'orders-',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        principal: 'User:alice',
        host: '*',
        operation: AclOperationTypes.READ,
        permissionType: AclPermissionTypes.ALLOW,
      };
      assert.equal(await admin.createAcls({ acl: [acl, { ...acl, operation: AclOperationTypes.DESCRIBE }] }), true);
      const described = await admin.describeAcls({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'orders-2026',
        resourcePatternType: ResourcePatternTypes.MATCH,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      assert.equal(described.errorCode, 0);
      assert.deepEqual(described.resources, [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'orders-',
          resourcePatternType: ResourcePatternTypes.PREFIXED,
          acls: [
            {
              principal: 'User:alice',
              host: '*',
              operation: AclOperationTypes.READ,
              permissionType: AclPermissionTypes.ALLOW,
            },
            {
              principal: 'User:alice',
              host: '*',
              operation: AclOperationTypes.DESCRIBE,
              permissionType: AclPermissionTypes.ALLOW,
            },
          ].sort((a, b) => a.operation - b.operation),
        },
      ]);
      const deleted = await admin.deleteAcls({
        filters: [{ resourceType: AclResourceTypes.TOPIC, principal: 'User:alice', operation: AclOperationTypes.READ }],
      });
      assert.equal(deleted.filterResponses.length, 1);
      assert.deepEqual(
        deleted.filterResponses[0]?.matchingAcls.map((m) => [m.resourceName, m.operation]),
        [['orders-', AclOperationTypes.READ]],
      );
      const left = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      assert.deepEqual(
        left.resources.flatMap((r) => r.acls.map((a) => a.operation)),
        [AclOperationTypes.DESCRIBE],
      );
    } finally {
      await admin.disconnect();
    }
  });
});
