/**
 * Several clusters from a config file, as CMAK lists them: two real brokers, both listed and each
 * usable through its own URL segment; a malformed config is refused, a console without users
 * listens on loopback only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { serverOptionsFromConfigFile } from '../src/config/cluster-list.js';
import { ConsoleServer } from '../src/console-server.js';
import { runConsole } from '../src/run-console.js';

const HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('several clusters from a config file', () => {
  let east: BrokerProcess;
  let west: BrokerProcess;
  let server: ConsoleServer;
  let dir: string;
  before(async () => {
    [east, west] = await Promise.all([BrokerProcess.start(), BrokerProcess.start()]);
    dir = mkdtempSync(join(tmpdir(), 'samsa-console-config-'));
    const file = join(dir, 'console.yaml');
    writeFileSync(
      file,
      `clusters:\n  - { name: east, bootstrapServers: "${east.bootstrap}" }\n  - { name: west, bootstrapServers: "${west.bootstrap}" }\n`,
    );
    server = await ConsoleServer.start({ clusters: (await serverOptionsFromConfigFile(file)).clusters, port: 0 });
  });
  after(async () => {
    await server?.close();
    await Promise.all([east?.close(), west?.close()]);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${server.url}/api${path}`, init);
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  test('both clusters are listed and each reaches its own broker', async () => {
    assert.deepEqual((await call('GET', '/clusters')).json, { clusters: ['east', 'west'] });
    for (const [name, broker] of [
      ['east', east],
      ['west', west],
    ] as const) {
      const overview = await call('GET', `/clusters/${name}`);
      assert.equal((overview.json.brokers as { port: number }[])[0]?.port, Number(broker.bootstrap.split(':')[1]));
      const created = await call('POST', `/clusters/${name}/topics`, {
        name: `only-${name}`,
        partitions: 1,
        replicationFactor: 1,
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
    }
    // Checked with the client directly: each topic went to its own cluster only.
    for (const [broker, own, other] of [
      [east, 'only-east', 'only-west'],
      [west, 'only-west', 'only-east'],
    ] as const) {
      const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
      try {
        const topics = await admin.listTopics();
        assert.ok(topics.includes(own), `${own} on ${broker.bootstrap}`);
        assert.ok(!topics.includes(other), `${other} not on ${broker.bootstrap}`);
      } finally {
        await admin.close();
      }
    }
  });

  test('a malformed config is refused before serving, naming the key', async () => {
    const file = join(dir, 'refused.yaml');
    writeFileSync(file, `clusters: [{ name: a, bootstrapServers: "${east.bootstrap}" }]\nclusterz: []\n`);
    let stderr = '';
    const code = await runConsole(['--config', file, '--port', '0'], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
    });
    assert.equal(code, 1);
    assert.match(stderr, /console config: clusterz:/, stderr);
  });

  test('a config with users and readOnly is served, on a non-loopback host too', async () => {
    const file = join(dir, 'users.yaml');
    writeFileSync(
      file,
      `clusters: [{ name: a, bootstrapServers: "${east.bootstrap}" }]\nusers: [{ name: a, role: admin, passwordHash: "${HASH}" }]\nreadOnly: true\n`,
    );
    let stdout = '';
    let stderr = '';
    const running = runConsole(['--config', file, '--host', '0.0.0.0', '--port', '0'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    const deadline = Date.now() + 10000;
    while (!stdout.includes('listening') && stderr === '' && Date.now() < deadline) await delay(50);
    assert.equal(stderr, '');
    assert.match(stdout, /listening on http:\/\/0\.0\.0\.0:\d+\/ \(login, 1 users, read-only\)/);
    const port = Number(/:(\d+)\//.exec(stdout)?.[1]);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/clusters`)).status, 401, 'login is required');
    process.emit('SIGINT');
    assert.equal(await running, 0);
  });

  test('an unauthenticated console refuses a non-loopback --host', async () => {
    let stderr = '';
    const code = await runConsole(['--bootstrap-server', east.bootstrap, '--host', '0.0.0.0', '--port', '0'], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
    });
    assert.equal(code, 1);
    assert.match(stderr, /without users has no login, so it listens on 127\.0\.0\.1, ::1 or localhost only/);
  });
});
