/**
 * The console's Kafka Connect API when Connect cannot help: an unknown Connect is a 404, a worker
 * that does not answer a 502 naming it, and bad input a 400 before any call to the worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, freePort } from '@samsa/testkit';
import { ConsoleServer } from '../src/console-server.js';

describe('console API: Kafka Connect, failures', () => {
  let broker: BrokerProcess;
  let server: ConsoleServer;
  let closedPort: number;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    closedPort = await freePort();
    server = await ConsoleServer.start({
      clusters: [
        {
          name: 'local',
          bootstrapServers: broker.bootstrap,
          connect: [{ name: 'gone', url: `http://127.0.0.1:${closedPort}` }],
        },
        { name: 'bare', bootstrapServers: broker.bootstrap },
      ],
      port: 0,
    });
  });
  after(async () => {
    await server?.close();
    await broker?.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as { error?: string; message?: string } };
  }

  test('each cluster lists its Connect clusters by name only', async () => {
    assert.deepEqual((await call('GET', '/clusters/local/connects')).json, { connects: [{ name: 'gone' }] });
    assert.deepEqual((await call('GET', '/clusters/bare/connects')).json, { connects: [] });
  });

  test('an unknown Connect is a 404, an unreachable one a 502 naming it', async () => {
    const unknown = await call('GET', '/clusters/bare/connects/gone/connectors');
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.message ?? '', /unknown Kafka Connect 'gone'/);
    const down = await call('GET', '/clusters/local/connects/gone/connectors');
    assert.equal(down.status, 502);
    assert.equal(down.json.error, 'CONNECT_UNREACHABLE');
    assert.match(down.json.message ?? '', new RegExp(`'gone' at http://127\\.0\\.0\\.1:${closedPort} did not answer`));
  });

  test('bad input is refused before the worker is asked', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/clusters/local/connects/gone/connectors', { name: '', config: {} }, /invalid connector name/],
      ['POST', '/clusters/local/connects/gone/connectors', { name: 'a\u0001b', config: {} }, /invalid connector name/],
      [
        'POST',
        '/clusters/local/connects/gone/connectors',
        { name: 'ok', config: { 'tasks.max': 1 } },
        /a string value/,
      ],
      ['POST', '/clusters/local/connects/gone/connectors', { name: 'ok', config: {} }, /connector\.class/],
      ['POST', '/clusters/local/connects/gone/connectors/ok/restart?onlyFailed=maybe', undefined, /onlyFailed/],
      ['POST', '/clusters/local/connects/gone/connectors/ok/tasks/-1/restart', undefined, /task id/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await call(method, path, body);
      assert.equal(answer.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      assert.match(answer.json.message ?? '', message);
    }
  });
});
