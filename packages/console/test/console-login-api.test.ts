/**
 * Login, roles, CSRF, read-only mode and the audit log, through the HTTP API against a real broker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import type { ConsoleUser } from '../src/config/console-config.js';
import type { ConsoleServer } from '../src/console-server.js';
import { isRouteRole } from '../src/security/roles.js';
import { ApiClient, startLoginConsole, testUsers } from './support/login-fixture.js';

describe('console login, roles, CSRF, read-only and audit', () => {
  let broker: BrokerProcess;
  let users: ConsoleUser[];
  let server: ConsoleServer;
  let readOnlyServer: ConsoleServer;
  let plain: ConsoleServer;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    users = await testUsers();
    server = await startLoginConsole(broker, users, { auditTopic: 'console-audit-test' });
    readOnlyServer = await startLoginConsole(broker, users, { readOnly: true, auditTopic: 'console-audit-test' });
    plain = await startLoginConsole(broker, []);
  });
  after(async () => {
    await Promise.allSettled([server?.close(), readOnlyServer?.close(), plain?.close()]);
    await broker?.close();
  });

  const topicsOnBroker = async () => {
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      return await admin.listTopics();
    } finally {
      await admin.close();
    }
  };
  const loggedIn = async (target: ConsoleServer, name: string) => {
    const client = new ApiClient(target.url);
    const answer = await client.login(name, `${name}-pw`);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    return client;
  };

  test('every registered /api route declares a role (fastify onRoute)', () => {
    const api = server.routes.filter((r) => r.url.startsWith('/api'));
    assert.ok(api.length > 40, `${api.length} /api routes`);
    const undeclared = api.filter((r) => !isRouteRole(r.role)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(undeclared, []);
    const roleOf = (method: string, url: string) => api.find((r) => r.method === method && r.url === url)?.role;
    assert.equal(roleOf('DELETE', '/api/clusters/:cluster/topics/:topic'), 'admin');
    assert.equal(roleOf('POST', '/api/clusters/:cluster/topics'), 'operator');
    assert.equal(roleOf('GET', '/api/clusters/:cluster/topics'), 'viewer');
    assert.equal(roleOf('GET', '/api/clusters/:cluster/audit'), 'admin');
    assert.equal(roleOf('POST', '/api/login'), 'public');
    assert.deepEqual(
      api.filter((r) => r.role === 'public').map((r) => `${r.method} ${r.url}`),
      ['POST /api/login'],
      'only the login is public',
    );
  });

  test('without a session every /api call is 401; the frontend itself is served', async () => {
    const anonymous = new ApiClient(server.url);
    for (const [method, path] of [
      ['GET', '/clusters'],
      ['GET', '/me'],
      ['GET', '/clusters/local/topics'],
      ['GET', '/clusters/local/audit'],
      ['GET', '/no-such-api'],
    ] as const) {
      const answer = await anonymous.call(method, path);
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(answer.json.error, 'UNAUTHENTICATED');
    }
    const create = await anonymous.call('POST', '/clusters/local/topics', { name: 'anon-topic' });
    assert.equal(create.status, 401);
    assert.ok(!(await topicsOnBroker()).includes('anon-topic'));
    const forged = new ApiClient(server.url);
    forged.cookie = 'samsa_console_session=made-up';
    assert.equal((await forged.call('GET', '/clusters')).status, 401);
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<div id="app">/);
  });

  test('a wrong password and an unknown user get the same 401, in similar time, and no cookie', async () => {
    const client = new ApiClient(server.url);
    const timed = async (username: string, password: string) => {
      const started = performance.now();
      const answer = await client.call('POST', '/login', { username, password });
      return { answer, ms: performance.now() - started };
    };
    await timed('admin', 'warm-up');
    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await timed('admin', 'not-the-password'));
      unknown.push(await timed('nobody', 'not-the-password'));
    }
    for (const { answer } of [...wrong, ...unknown]) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.json, { error: 'UNAUTHENTICATED', message: 'wrong user name or password' });
      assert.equal(answer.headers.get('set-cookie'), null);
    }
    const median = (xs: { ms: number }[]) => xs.map((x) => x.ms).sort((a, b) => a - b)[1] as number;
    // scrypt at N=2^14 takes tens of ms; an unknown user answered without it would take ~1 ms.
    assert.ok(
      median(unknown) > median(wrong) * 0.5,
      `unknown user ${median(unknown).toFixed(1)} ms vs wrong password ${median(wrong).toFixed(1)} ms`,
    );
    assert.equal((await client.call('POST', '/login', { username: 'admin' })).status, 400);
  });

  test('login sets an HttpOnly SameSite=Strict cookie; /api/me answers user, role, CSRF token, read-only', async () => {
    const client = new ApiClient(server.url);
    const answer = await client.login('viewer', 'viewer-pw');
    assert.equal(answer.status, 200);
    const cookie = answer.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^samsa_console_session=[^;]+;/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/i, 'secureCookie is off by default');
    const me = await client.call('GET', '/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.json, {
      user: 'viewer',
      role: 'viewer',
      csrfToken: client.csrfToken,
      readOnly: false,
      login: true,
    });
    assert.match(String(client.csrfToken), /^[A-Za-z0-9_-]{40,}$/);
    assert.deepEqual((await client.call('GET', '/clusters')).json, { clusters: ['local'] });
  });

  test('a viewer may read but not delete a topic (403 naming the role needed)', async () => {
    const admin = await loggedIn(server, 'admin');
    assert.equal(
      (await admin.change('POST', '/clusters/local/topics', { name: 'kept-topic', partitions: 1 })).status,
      201,
    );
    const viewer = await loggedIn(server, 'viewer');
    assert.equal((await viewer.call('GET', '/clusters/local/topics/kept-topic')).status, 200);
    const del = await viewer.change('DELETE', '/clusters/local/topics/kept-topic');
    assert.equal(del.status, 403);
    assert.equal(del.json.error, 'FORBIDDEN');
    assert.match(String(del.json.message), /role viewer may not DELETE .* it needs admin/);
    const create = await viewer.change('POST', '/clusters/local/topics', { name: 'viewer-topic' });
    assert.equal(create.status, 403);
    const topics = await topicsOnBroker();
    assert.ok(topics.includes('kept-topic'));
    assert.ok(!topics.includes('viewer-topic'));
  });

  test('a change without the session CSRF token, or with another one, is 403', async () => {
    const operator = await loggedIn(server, 'operator');
    const missing = await operator.call('POST', '/clusters/local/topics', { name: 'csrf-topic' });
    assert.equal(missing.status, 403);
    assert.equal(missing.json.error, 'CSRF');
    const other = await loggedIn(server, 'admin');
    const wrong = await operator.call(
      'POST',
      '/clusters/local/topics',
      { name: 'csrf-topic' },
      { 'x-csrf-token': String(other.csrfToken) },
    );
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json.error, 'CSRF');
    assert.equal((await operator.call('POST', '/logout')).status, 403, 'logout needs the token too');
    assert.ok(!(await topicsOnBroker()).includes('csrf-topic'));
  });

  test('an operator creates a topic; only an admin deletes it', async () => {
    const operator = await loggedIn(server, 'operator');
    const created = await operator.change('POST', '/clusters/local/topics', { name: 'ops-topic', partitions: 2 });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.ok((await topicsOnBroker()).includes('ops-topic'));
    assert.equal((await operator.change('DELETE', '/clusters/local/topics/ops-topic')).status, 403);
    const admin = await loggedIn(server, 'admin');
    assert.equal((await admin.change('DELETE', '/clusters/local/topics/ops-topic')).status, 204);
    const deadline = Date.now() + 10000;
    while ((await topicsOnBroker()).includes('ops-topic') && Date.now() < deadline) await delay(100);
    assert.ok(!(await topicsOnBroker()).includes('ops-topic'));
  });

  test('the audit log has each change with user, role, path and status, newest first; admins only', async () => {
    const admin = await loggedIn(server, 'admin');
    // A change that fails at the cluster is logged with its status too.
    const again = await admin.change('POST', '/clusters/local/topics', { name: 'kept-topic', partitions: 1 });
    assert.equal(again.status, 409);
    const operator = await loggedIn(server, 'operator');
    const refused = await operator.call('GET', '/clusters/local/audit');
    assert.equal(refused.status, 403);
    const log = await admin.call('GET', '/clusters/local/audit?limit=100');
    assert.equal(log.status, 200, JSON.stringify(log.json));
    assert.equal(log.json.topic, 'console-audit-test');
    const entries = log.json.entries as Record<string, unknown>[];
    const pick = (e: Record<string, unknown>) => ({
      user: e.user,
      role: e.role,
      method: e.method,
      path: e.path,
      route: e.route,
      params: e.params,
      cluster: e.cluster,
      status: e.status,
    });
    assert.deepEqual(entries.map(pick).reverse(), [
      {
        user: 'admin',
        role: 'admin',
        method: 'POST',
        path: '/api/clusters/local/topics',
        route: '/api/clusters/:cluster/topics',
        params: { cluster: 'local' },
        cluster: 'local',
        status: 201,
      },
      {
        user: 'operator',
        role: 'operator',
        method: 'POST',
        path: '/api/clusters/local/topics',
        route: '/api/clusters/:cluster/topics',
        params: { cluster: 'local' },
        cluster: 'local',
        status: 201,
      },
      {
        user: 'admin',
        role: 'admin',
        method: 'DELETE',
        path: '/api/clusters/local/topics/ops-topic',
        route: '/api/clusters/:cluster/topics/:topic',
        params: { cluster: 'local', topic: 'ops-topic' },
        cluster: 'local',
        status: 204,
      },
      {
        user: 'admin',
        role: 'admin',
        method: 'POST',
        path: '/api/clusters/local/topics',
        route: '/api/clusters/:cluster/topics',
        params: { cluster: 'local' },
        cluster: 'local',
        status: 409,
      },
    ]);
    for (const e of entries) assert.ok(Math.abs(Date.now() - Number(e.timestampMs)) < 120_000);
    const latest = await admin.call('GET', '/clusters/local/audit?limit=1');
    assert.equal((latest.json.entries as Record<string, unknown>[])[0]?.status, 409);
    assert.ok((await topicsOnBroker()).includes('console-audit-test'), 'the audit topic was created');
  });

  test('logout ends the session: the cookie no longer works', async () => {
    const client = await loggedIn(server, 'operator');
    assert.equal((await client.change('POST', '/logout')).status, 204);
    assert.equal((await client.call('GET', '/me')).status, 401);
    assert.equal((await client.change('POST', '/clusters/local/topics', { name: 'after-logout' })).status, 401);
  });

  test('read-only mode refuses every change with 403 but allows login, reading and logout', async () => {
    const admin = await loggedIn(readOnlyServer, 'admin');
    assert.equal((await admin.call('GET', '/me')).json.readOnly, true);
    for (const [method, path, body] of [
      ['POST', '/clusters/local/topics', { name: 'ro-topic' }],
      ['DELETE', '/clusters/local/topics/kept-topic', undefined],
      ['POST', '/clusters/local/topics/kept-topic/messages', { value: 'x' }],
    ] as const) {
      const answer = await admin.change(method, path, body);
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.deepEqual(answer.json, { error: 'READ_ONLY', message: 'console is read-only' });
    }
    assert.equal((await admin.call('GET', '/clusters/local/topics/kept-topic')).status, 200);
    const topics = await topicsOnBroker();
    assert.ok(topics.includes('kept-topic'));
    assert.ok(!topics.includes('ro-topic'));
    assert.equal((await admin.change('POST', '/logout')).status, 204);
  });

  test('a console without users has no login: the caller is the anonymous admin, nothing is audited', async () => {
    const client = new ApiClient(plain.url);
    assert.deepEqual((await client.call('GET', '/me')).json, {
      user: null,
      role: 'admin',
      csrfToken: null,
      readOnly: false,
      login: false,
    });
    assert.equal((await client.call('POST', '/login', { username: 'admin', password: 'admin-pw' })).status, 404);
    assert.equal((await client.call('POST', '/clusters/local/topics', { name: 'plain-topic' })).status, 201);
    assert.equal((await client.call('GET', '/clusters/local/audit')).status, 404);
  });
});
