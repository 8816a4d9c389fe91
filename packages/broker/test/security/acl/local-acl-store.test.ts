import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { LocalController } from '../../../src/controller/local-controller.js';
import { silentLogger } from '../../../src/create-logger.js';
import { type LocalMetadata, LocalMetadataStore } from '../../../src/metadata/local-metadata-store.js';
import { AclAuthorizer } from '../../../src/security/acl/acl-authorizer.js';
import { formatBinding } from '../../../src/security/acl/acl-binding.js';
import { LocalAclStore } from '../../../src/security/acl/local-acl-store.js';
import { binding, filter } from './support/acl-fixtures.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A single node's authorizer over the metadata file in `dir`, saved through a LocalController's queue. */
async function singleNode(dir: string): Promise<{ authorizer: AclAuthorizer; file: LocalMetadataStore }> {
  const file = new LocalMetadataStore(dir);
  const state: LocalMetadata = file.load() ?? {
    version: 1,
    clusterId: 'cluster',
    topics: [],
    brokerConfigs: { '': { 'log.retention.ms': '1000' } },
    nextProducerIdBlockStart: 2000,
  };
  // updateMetadata needs only the store and the state.
  const controller = new LocalController(
    undefined as never,
    undefined as never,
    file,
    state,
    undefined as never,
    undefined as never,
  );
  const authorizer = await AclAuthorizer.start({
    store: new LocalAclStore((change) => controller.updateMetadata(change)),
    superUsers: new Set(),
    allowEveryoneIfNoAclFound: false,
    auditLogger: silentLogger(),
    logger: silentLogger(),
  });
  return { authorizer, file };
}

describe('LocalAclStore', () => {
  test('keeps ACLs in samsa-metadata.json, in the JSON of Kafka ACL znodes, beside the other metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-acl-'));
    dirs.push(dir);
    const { authorizer, file } = await singleNode(dir);
    await authorizer.createAcls([
      binding('TOPIC', 't', 'User:alice', 'READ'),
      binding('TOPIC', 't', 'User:bob', 'WRITE', { permission: 'DENY', host: '10.0.0.1' }),
      binding('GROUP', 'app-', 'User:alice', 'READ', { patternType: 'PREFIXED' }),
    ]);
    const saved = file.load();
    assert.deepEqual(saved?.acls, [
      {
        resourceType: 'Topic',
        patternType: 'LITERAL',
        name: 't',
        acls: [
          { principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' },
          { principal: 'User:bob', permissionType: 'Deny', operation: 'Write', host: '10.0.0.1' },
        ],
      },
      {
        resourceType: 'Group',
        patternType: 'PREFIXED',
        name: 'app-',
        acls: [{ principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' }],
      },
    ]);
    assert.equal(saved?.nextProducerIdBlockStart, 2000, 'the rest of the file is kept');
    assert.deepEqual(saved?.brokerConfigs, { '': { 'log.retention.ms': '1000' } });
  });

  test('a restarted broker has the ACLs; deleting the last ACL of a pattern removes it from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-acl-'));
    dirs.push(dir);
    const first = await singleNode(dir);
    await first.authorizer.createAcls([
      binding('TOPIC', 't', 'User:alice', 'READ'),
      binding('CLUSTER', 'kafka-cluster', 'User:alice', 'ALTER'),
    ]);
    const second = await singleNode(dir);
    assert.deepEqual(second.authorizer.acls(filter()).map(formatBinding).sort(), [
      formatBinding(binding('CLUSTER', 'kafka-cluster', 'User:alice', 'ALTER')),
      formatBinding(binding('TOPIC', 't', 'User:alice', 'READ')),
    ]);
    const [deleted] = await second.authorizer.deleteAcls([filter({ resourceType: 'TOPIC' })]);
    assert.equal(deleted?.deleted.length, 1);
    assert.deepEqual(
      second.file.load()?.acls?.map((r) => r.resourceType),
      ['Cluster'],
    );
    const third = await singleNode(dir);
    assert.equal(third.authorizer.acls(filter()).length, 1);
  });
});
