/**
 * Client quotas and SCRAM users through the console, against a broker with SASL and Kafka's
 * AclAuthorizer: the console logs in over SASL_PLAINTEXT/PLAIN as a super user, as a deployment
 * would configure it. Passwords are never echoed back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { ConsoleServer } from '../src/console-server.js';

describe('console quotas and SCRAM users on a secured broker', () => {
  let broker: BrokerProcess;
  let server: ConsoleServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${server.url}/api/clusters/secure${path}`, init);
    const text = await response.text();
    return { status: response.status, text, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config':
          'org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret";',
        'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
        'super.users': 'User:admin',
      },
    });
    server = await ConsoleServer.start({
      clusters: [
        {
          name: 'secure',
          bootstrapServers: `127.0.0.1:${broker.portOf('SASL_PLAINTEXT')}`,
          properties: {
            'security.protocol': 'SASL_PLAINTEXT',
            'sasl.mechanism': 'PLAIN',
            'sasl.username': 'admin',
            'sasl.password': 'admin-secret',
          },
        },
      ],
      port: 0,
    });
  });
  after(async () => {
    await server?.close();
    await broker?.close();
  });

  test('set, list and remove client quotas of a user, a client id and the default user', async () => {
    const set = await call('PUT', '/quotas', {
      entity: { user: 'alice' },
      values: { producer_byte_rate: 1024, consumer_byte_rate: 2048 },
    });
    assert.equal(set.status, 200, set.text);
    assert.equal(
      (await call('PUT', '/quotas', { entity: { clientId: 'app-1' }, values: { request_percentage: 50 } })).status,
      200,
    );
    assert.equal(
      (await call('PUT', '/quotas', { entity: { user: null }, values: { producer_byte_rate: 512 } })).status,
      200,
    );
    const listed = (await call('GET', '/quotas')).json.quotas as { entity: unknown; values: unknown }[];
    const byEntity = Object.fromEntries(listed.map((q) => [JSON.stringify(q.entity), q.values]));
    assert.deepEqual(byEntity, {
      '{"user":"alice"}': { producer_byte_rate: 1024, consumer_byte_rate: 2048 },
      '{"clientId":"app-1"}': { request_percentage: 50 },
      '{"user":null}': { producer_byte_rate: 512 },
    });
    await call('PUT', '/quotas', {
      entity: { user: 'alice' },
      values: { producer_byte_rate: null, consumer_byte_rate: null },
    });
    const after = (await call('GET', '/quotas')).json.quotas as { entity: { user?: string } }[];
    assert.equal(
      after.some((q) => q.entity.user === 'alice'),
      false,
    );
    for (const bad of [
      { entity: {}, values: { producer_byte_rate: 1 } },
      { entity: { user: 'bob' }, values: { made_up_rate: 1 } },
      { entity: { user: 'bob' }, values: { producer_byte_rate: -5 } },
      { entity: { user: '' }, values: { producer_byte_rate: 1 } },
      { entity: { user: 'bob' }, values: {} },
    ]) {
      const refused = await call('PUT', '/quotas', bad);
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.equal(typeof refused.json.message, 'string');
    }
  });

  test('create, update, list and delete a SCRAM user; the password is never answered', async () => {
    const created = await call('PUT', '/scram-users/carol', { mechanism: 'SCRAM-SHA-256', password: 'carol-secret' });
    assert.equal(created.status, 200, created.text);
    assert.doesNotMatch(created.text, /carol-secret/);
    await call('PUT', '/scram-users/carol', { mechanism: 'SCRAM-SHA-512', password: 'carol-secret', iterations: 8192 });
    const listed = await call('GET', '/scram-users');
    assert.doesNotMatch(listed.text, /carol-secret/);
    assert.deepEqual(listed.json.users, [
      {
        user: 'carol',
        credentials: [
          { mechanism: 'SCRAM-SHA-256', iterations: 4096 },
          { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
        ],
      },
    ]);
    const one = await call('DELETE', '/scram-users/carol?mechanism=SCRAM-SHA-256');
    assert.deepEqual(one.json, { user: 'carol', deleted: ['SCRAM-SHA-256'] });
    assert.deepEqual(await call('DELETE', '/scram-users/carol').then((r) => r.json), {
      user: 'carol',
      deleted: ['SCRAM-SHA-512'],
    });
    assert.deepEqual((await call('GET', '/scram-users')).json.users, []);
    assert.equal((await call('DELETE', '/scram-users/carol')).status, 404);
    for (const [path, body] of [
      ['/scram-users/dave', { mechanism: 'SCRAM-SHA-1', password: 'x' }],
      ['/scram-users/dave', { mechanism: 'SCRAM-SHA-256', password: '' }],
      ['/scram-users/dave', { mechanism: 'SCRAM-SHA-256', password: 'x', iterations: 10 }],
    ] as const) {
      assert.equal((await call('PUT', path, body)).status, 400, JSON.stringify(body));
    }
  });
});
