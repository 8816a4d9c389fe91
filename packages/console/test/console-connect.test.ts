/**
 * The console's Kafka Connect API and page against a real Connect worker (Samsa's
 * connect-standalone) writing to a real broker: create a file source from JSON, see it RUNNING
 * with its task, pause and resume it, restart it, the worker's own refusals passed on (409, 400,
 * 404), delete; then the same through the page in Chromium.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import type { Page } from 'playwright-core';
import { ConsoleServer } from '../src/console-server.js';
import { type Browser, launchChromium } from './support/browser.js';
import { ConnectWorker } from './support/connect-worker.js';
import { screenshot, waitUntil } from './support/screenshot.js';

interface Listed {
  version: string;
  connectors: { name: string; type: string; state: string; tasks: { id: number; state: string }[] }[];
}

describe('console: Kafka Connect against a real worker', () => {
  let broker: BrokerProcess;
  let worker: ConnectWorker;
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const base = '/clusters/local/connects/files';

  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    worker = await ConnectWorker.start(broker.bootstrap);
    server = await ConsoleServer.start({
      clusters: [{ name: 'local', bootstrapServers: broker.bootstrap, connect: [{ name: 'files', url: worker.url }] }],
      port: 0,
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await worker?.close();
    await broker?.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  }
  const listed = async () => (await call('GET', `${base}/connectors`)).json as unknown as Listed;
  const stateOf = async (name: string) => (await listed()).connectors.find((c) => c.name === name);

  test('create, list with tasks, pause, resume, restart, refusals passed on, delete', async () => {
    const file = join(worker.dir, 'in.txt');
    writeFileSync(file, 'one\ntwo\n');
    const config = { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic: 'from-file' };
    const created = await call('POST', `${base}/connectors`, { name: 'source', config });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    await waitUntil(async () => (await stateOf('source'))?.tasks[0]?.state === 'RUNNING', 'the task RUNNING');
    const source = await stateOf('source');
    assert.equal(source?.type, 'source');
    assert.equal(source?.state, 'RUNNING');
    assert.match((await listed()).version, /\S/);

    // The worker's refusals come back with its status and message.
    const again = await call('POST', `${base}/connectors`, { name: 'source', config });
    assert.equal(again.status, 409);
    assert.match(String(again.json.message), /Kafka Connect: .*source.*already exists/);
    const badClass = await call('POST', `${base}/connectors`, {
      name: 'broken',
      config: { 'connector.class': 'NoSuchConnector' },
    });
    assert.equal(badClass.status, 400, JSON.stringify(badClass.json));
    assert.match(String(badClass.json.message), /NoSuchConnector/);
    const missing = await call('PUT', `${base}/connectors/nobody/pause`);
    assert.equal(missing.status, 404);

    assert.equal((await call('PUT', `${base}/connectors/source/pause`)).status, 202);
    await waitUntil(async () => (await stateOf('source'))?.state === 'PAUSED', 'PAUSED');
    assert.equal((await call('PUT', `${base}/connectors/source/resume`)).status, 202);
    await waitUntil(async () => (await stateOf('source'))?.state === 'RUNNING', 'RUNNING again');
    assert.equal((await call('POST', `${base}/connectors/source/restart?includeTasks=true`)).status, 202);
    assert.equal((await call('POST', `${base}/connectors/source/tasks/0/restart`)).status, 202);
    await waitUntil(async () => (await stateOf('source'))?.tasks[0]?.state === 'RUNNING', 'the task RUNNING again');

    const plugins = (await call('GET', `${base}/connector-plugins`)).json.plugins as { class: string }[];
    assert.ok(plugins.some((p) => p.class === 'org.apache.kafka.connect.file.FileStreamSourceConnector'));

    assert.equal((await call('DELETE', `${base}/connectors/source`)).status, 204);
    assert.equal(await stateOf('source'), undefined);
  });

  test('the Connect page: create from JSON, see it running, pause, delete', async () => {
    const file = join(worker.dir, 'page.txt');
    writeFileSync(file, 'a\n');
    await page.goto(`${server.url}/#/local/connect`);
    await page.getByRole('heading', { name: 'Kafka Connect' }).waitFor();
    await page.getByText('Create connector').first().click();
    const form = page.getByRole('form', { name: 'Create connector' });
    await form.getByLabel('Name').fill('page-source');
    await form
      .getByLabel(/Config/)
      .fill(JSON.stringify({ 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic: 'page-topic' }));
    await form.getByRole('button', { name: 'Create connector' }).click();
    await page.getByRole('status').filter({ hasText: 'Connector page-source created' }).waitFor();
    const row = page.getByTestId('connector-row').filter({ hasText: 'page-source' });
    await row.getByTestId('task-state').filter({ hasText: '0: RUNNING' }).waitFor();
    await screenshot(page, 'connect');
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByTestId('connector-state').filter({ hasText: 'PAUSED' }).waitFor();
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Connector page-source deleted' }).waitFor();
    await waitUntil(async () => (await page.getByTestId('connector-row').count()) === 0, 'no connector listed');
    assert.equal(await stateOf('page-source'), undefined);
  });
});
