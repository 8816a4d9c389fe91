import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  ApiKey,
  apiCodec,
  type CreateAclsResponse,
  type DeleteAclsResponse,
  type DescribeAclsResponse,
  decodeResponse,
  ErrorCode,
  encodeRequest,
} from '@samsa/protocol';
import type { BrokerServices } from '../../src/broker-services.js';
import { silentLogger } from '../../src/create-logger.js';
import { createHandlerRegistry } from '../../src/handlers/index.js';
import { BufferPool } from '../../src/memory/buffer-pool.js';
import { RequestDispatcher } from '../../src/network/request-dispatcher.js';
import type { Authorizer } from '../../src/security/authorizer.js';
import { authorizerWith, binding } from '../security/acl/support/acl-fixtures.js';
import { testConnection } from '../support/test-connection.js';

const info = testConnection();

/** One request through the dispatcher, bytes in and bytes out, at `version`. */
async function roundTrip<T>(
  authorizer: Authorizer | undefined,
  apiKey: number,
  version: number,
  body: unknown,
): Promise<T> {
  const api = apiCodec(apiKey);
  assert.ok(api);
  const services = { logger: silentLogger(), ...(authorizer === undefined ? {} : { authorizer }) } as BrokerServices;
  const dispatcher = new RequestDispatcher(createHandlerRegistry(), services, new BufferPool(), silentLogger());
  const frame = Buffer.concat(encodeRequest(api, version, 7, 'test', body)).subarray(4);
  const result = await dispatcher.handle(frame, info).response;
  assert.ok(Array.isArray(result), 'a response, not a closed connection');
  return decodeResponse(api, version, Buffer.concat(result).subarray(4)).body as T;
}

const creation = {
  resourceType: AclResourceType.TOPIC,
  resourceName: 't',
  resourcePatternType: AclPatternType.LITERAL,
  principal: 'User:alice',
  host: '*',
  operation: AclOperation.READ,
  permissionType: AclPermissionType.ALLOW,
};
const anyFilter = {
  resourceTypeFilter: AclResourceType.ANY,
  resourceNameFilter: null,
  patternTypeFilter: AclPatternType.ANY,
  principalFilter: null,
  hostFilter: null,
  operation: AclOperation.ANY,
  permissionType: AclPermissionType.ANY,
};

describe('CreateAcls, DescribeAcls, DeleteAcls handlers', () => {
  test('serve versions 0-3, as Kafka 3.x brokers do', () => {
    const versions = createHandlerRegistry().apiVersions();
    for (const apiKey of [ApiKey.DescribeAcls, ApiKey.CreateAcls, ApiKey.DeleteAcls]) {
      assert.deepEqual(
        versions.find((v) => v.apiKey === apiKey),
        { apiKey, minVersion: 0, maxVersion: 3 },
      );
    }
  });

  test('without an authorizer: SECURITY_DISABLED with the messages of Kafka', async () => {
    const created = await roundTrip<CreateAclsResponse>(undefined, ApiKey.CreateAcls, 3, { creations: [creation] });
    assert.deepEqual(
      created.results.map((r) => [r.errorCode, r.errorMessage]),
      [[ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured.']],
    );
    const described = await roundTrip<DescribeAclsResponse>(undefined, ApiKey.DescribeAcls, 3, anyFilter);
    assert.equal(described.errorCode, ErrorCode.SECURITY_DISABLED);
    assert.equal(described.errorMessage, 'No Authorizer is configured on the broker');
    const deleted = await roundTrip<DeleteAclsResponse>(undefined, ApiKey.DeleteAcls, 3, { filters: [anyFilter] });
    assert.equal(deleted.filterResults[0]?.errorCode, ErrorCode.SECURITY_DISABLED);
  });

  test('CLUSTER_AUTHORIZATION_FAILED without ALTER (create, delete) or DESCRIBE (describe) on the cluster', async () => {
    const { authorizer } = await authorizerWith([binding('CLUSTER', 'kafka-cluster', 'User:ANONYMOUS', 'DESCRIBE')]);
    const created = await roundTrip<CreateAclsResponse>(authorizer, ApiKey.CreateAcls, 1, { creations: [creation] });
    assert.equal(created.results[0]?.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const deleted = await roundTrip<DeleteAclsResponse>(authorizer, ApiKey.DeleteAcls, 1, { filters: [anyFilter] });
    assert.equal(deleted.filterResults[0]?.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const described = await roundTrip<DescribeAclsResponse>(authorizer, ApiKey.DescribeAcls, 1, anyFilter);
    assert.equal(described.errorCode, ErrorCode.NONE, 'DESCRIBE is enough to describe');
  });

  test('create, describe (grouped by pattern) and delete (returning the matches) at v3; v0 sees LITERAL only', async () => {
    const { authorizer } = await authorizerWith([], { superUsers: ['User:ANONYMOUS'] });
    const created = await roundTrip<CreateAclsResponse>(authorizer, ApiKey.CreateAcls, 3, {
      creations: [
        creation,
        { ...creation, principal: 'User:bob', permissionType: AclPermissionType.DENY },
        { ...creation, resourceName: 'pay', resourcePatternType: AclPatternType.PREFIXED },
        { ...creation, resourceName: '*', resourcePatternType: AclPatternType.PREFIXED },
      ],
    });
    assert.deepEqual(
      created.results.map((r) => r.errorCode),
      [0, 0, 0, ErrorCode.INVALID_REQUEST],
    );
    const described = await roundTrip<DescribeAclsResponse>(authorizer, ApiKey.DescribeAcls, 3, anyFilter);
    assert.deepEqual(
      described.resources.map((r) => [r.resourceName, r.patternType, r.acls.map((a) => a.principal)]).sort(),
      [
        ['pay', AclPatternType.PREFIXED, ['User:alice']],
        ['t', AclPatternType.LITERAL, ['User:alice', 'User:bob']],
      ],
    );
    const { patternTypeFilter: _, ...v0Filter } = anyFilter;
    const v0 = await roundTrip<DescribeAclsResponse>(authorizer, ApiKey.DescribeAcls, 0, v0Filter);
    assert.deepEqual(
      v0.resources.map((r) => r.resourceName),
      ['t'],
    );
    const invalid = await roundTrip<DescribeAclsResponse>(authorizer, ApiKey.DescribeAcls, 3, {
      ...anyFilter,
      operation: AclOperation.UNKNOWN,
    });
    assert.equal(invalid.errorCode, ErrorCode.INVALID_REQUEST);
    const deleted = await roundTrip<DeleteAclsResponse>(authorizer, ApiKey.DeleteAcls, 2, {
      filters: [
        { ...anyFilter, principalFilter: 'User:bob' },
        { ...anyFilter, resourceTypeFilter: AclResourceType.GROUP },
      ],
    });
    assert.deepEqual(
      deleted.filterResults.map((f) => f.matchingAcls.map((m) => [m.resourceName, m.principal, m.permissionType])),
      [[['t', 'User:bob', AclPermissionType.DENY]], []],
    );
    const after = await roundTrip<DescribeAclsResponse>(authorizer, ApiKey.DescribeAcls, 3, anyFilter);
    assert.equal(after.resources.flatMap((r) => r.acls).length, 2);
  });
});
