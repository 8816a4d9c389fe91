/**
 * The console's ACL API against a real broker with Kafka's AclAuthorizer: list (filtered),
 * create, delete exactly one binding, and 400s for bad bindings before the cluster is asked.
 * Over PLAINTEXT the console is User:ANONYMOUS, made a super user here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { ConsoleServer } from '../src/console-server.js';

describe('console ACL API', () => {
  let broker: BrokerProcess;
  let server: ConsoleServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${server.url}/api/clusters/local${path}`, init);
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
        'super.users': 'User:ANONYMOUS',
      },
    });
    server = await ConsoleServer.start({ clusters: [{ name: 'local', bootstrapServers: broker.bootstrap }], port: 0 });
  });
  after(async () => {
    await server?.close();
    await broker?.close();
  });

  test('create, list with a filter, delete exactly one binding', async () => {
    const alice = {
      resourceType: 'TOPIC',
      resourceName: 'orders',
      principal: 'User:alice',
      operation: 'READ',
      permissionType: 'ALLOW',
    };
    const bob = { ...alice, resourceName: 'ord', patternType: 'PREFIXED', principal: 'User:bob', host: '10.0.0.1' };
    const created = await call('POST', '/acls', alice);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal((await call('POST', '/acls', bob)).status, 201);
    const all = await call('GET', '/acls');
    assert.equal((all.json.acls as unknown[]).length, 2);
    const filtered = await call('GET', '/acls?principal=User:bob');
    assert.deepEqual(filtered.json.acls, [
      {
        resourceType: 'TOPIC',
        resourceName: 'ord',
        patternType: 'PREFIXED',
        principal: 'User:bob',
        host: '10.0.0.1',
        operation: 'READ',
        permissionType: 'ALLOW',
      },
    ]);
    const deleted = await call('DELETE', '/acls', alice);
    assert.equal(deleted.status, 200);
    assert.deepEqual(
      (deleted.json.deleted as { principal: string }[]).map((b) => b.principal),
      ['User:alice'],
    );
    const left = await call('GET', '/acls');
    assert.deepEqual(
      (left.json.acls as { principal: string }[]).map((b) => b.principal),
      ['User:bob'],
    );
  });

  test('bad bindings get a 400 with a message', async () => {
    const base = {
      resourceType: 'TOPIC',
      resourceName: 't',
      principal: 'User:alice',
      operation: 'READ',
      permissionType: 'ALLOW',
    };
    const cases: unknown[] = [
      { ...base, resourceType: 'TABLE' },
      { ...base, principal: 'alice' },
      { ...base, operation: 'EAT' },
      { ...base, permissionType: 'MAYBE' },
      { ...base, resourceName: '' },
      { ...base, patternType: 'MATCH' },
    ];
    for (const body of cases) {
      const { status, json } = await call('POST', '/acls', body);
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(typeof json.message, 'string');
    }
    assert.equal((await call('GET', '/acls?operation=EAT')).status, 400);
  });
});
