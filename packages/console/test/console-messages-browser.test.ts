/**
 * Topic-wide messages and the live tail in a real browser (Debian's Chromium) against a real
 * broker: page through 30 records of 3 partitions and see each once, find one by a header, see a
 * record produced after the tail started, and the tail's consumer closed when it stops or the page
 * closes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Producer } from '@samsa/client';
import type { Page } from 'playwright-core';
import { ConsoleServer } from '../src/console-server.js';
import { liveTailCount } from '../src/routes/live-tail-routes.js';
import { type Browser, launchChromium } from './support/browser.js';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';
import { screenshot, waitUntil } from './support/screenshot.js';

describe('topic messages and live tail in a browser', () => {
  let fx: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  let producer: Producer<string, string>;
  before(async () => {
    browser = await launchChromium();
    fx = await startConsole();
    await fx.call('POST', '/clusters/local/topics', { name: 'browse', partitions: 3, replicationFactor: 1 });
    producer = new Producer<string, string>({
      'bootstrap.servers': fx.broker.bootstrap,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    for (let i = 0; i < 30; i++) {
      await producer.send({
        topic: 'browse',
        partition: i % 3,
        key: `k${String(i).padStart(2, '0')}`,
        value: JSON.stringify({ n: i }),
        headers: i === 17 ? { trace: 'needle-17' } : { trace: `t${i}` },
      });
    }
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
  });
  after(async () => {
    await producer?.close();
    await browser?.close();
    await fx?.close();
  });

  const rowsShown = (label: string) =>
    page
      .getByRole('table', { name: label })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-record') ?? ''));

  test('page through every partition from the earliest: each record once', async () => {
    await page.goto(`${fx.server.url}/#/local/topics/browse`);
    const form = page.getByRole('form', { name: 'Browse all partitions' });
    await form.getByLabel('From').selectOption('earliest');
    await form.getByLabel('Page size').fill('7');
    await form.getByLabel('Decode as').selectOption('json');
    await form.getByRole('button', { name: 'Browse all' }).click();
    const seen: string[] = [];
    const status = page.getByTestId('topic-messages-status');
    for (let number = 1; ; number++) {
      await status.filter({ hasText: `Page ${number}:` }).waitFor();
      seen.push(...(await rowsShown('Messages of all partitions')));
      if (number === 1)
        await screenshot(
          page,
          'topic-messages',
          page.locator('section', { has: page.getByRole('heading', { name: 'Messages of all partitions' }) }),
        );
      if ((await status.textContent())?.includes('end of the topic reached')) break;
      assert.ok(number < 10, 'paging never reached the end');
      await page.getByRole('button', { name: 'Next page' }).click();
    }
    assert.equal(seen.length, 30);
    assert.equal(new Set(seen).size, 30);
    for (let p = 0; p < 3; p++) for (let o = 0; o < 10; o++) assert.ok(seen.includes(`${p}:${o}`), `${p}:${o} shown`);
    assert.equal(await page.getByRole('button', { name: 'Next page' }).count(), 0);
  });

  test('search by header text finds the one record and says how much it scanned', async () => {
    const form = page.getByRole('form', { name: 'Browse all partitions' });
    await form.getByLabel('Page size').fill('50');
    await form.getByLabel('Search').fill('NEEDLE-17');
    await form.getByRole('button', { name: 'Browse all' }).click();
    await page
      .getByTestId('topic-messages-status')
      .filter({ hasText: '1 message(s), 30 scanned, end of the topic reached' })
      .waitFor();
    assert.deepEqual(await rowsShown('Messages of all partitions'), ['2:5']);
    const row = page.getByRole('table', { name: 'Messages of all partitions' }).locator('tbody tr');
    assert.match((await row.textContent()) ?? '', /k17.*"n": 17.*trace=needle-17/s);
  });

  test('a timestamp after every record finds nothing and the end', async () => {
    const form = page.getByRole('form', { name: 'Browse all partitions' });
    await form.getByLabel('Search').fill('');
    await form.getByLabel('From').selectOption('timestamp');
    await form.getByLabel('Time (ISO 8601 or ms)').fill(new Date(Date.now() + 3_600_000).toISOString());
    await form.getByRole('button', { name: 'Browse all' }).click();
    await page
      .getByTestId('topic-messages-status')
      .filter({ hasText: 'Page 1: 0 message(s), end of the topic reached' })
      .waitFor();
  });

  test('live tail shows records produced after it started, and closes its consumer when stopped', async () => {
    assert.equal(liveTailCount(fx.server.app), 0);
    await page.getByRole('button', { name: 'Start live tail' }).click();
    await page.getByTestId('tail-status').filter({ hasText: 'Tailing: 0 new record(s)' }).waitFor();
    assert.equal(liveTailCount(fx.server.app), 1);
    await producer.send({ topic: 'browse', partition: 1, key: 'live-key', value: 'produced after the tail started' });
    await producer.send({
      topic: 'browse',
      partition: 2,
      key: 'live-key-2',
      value: 'and another',
      headers: { h: 'v' },
    });
    const tail = page.getByRole('table', { name: 'Live tail' });
    await tail.getByText('produced after the tail started').waitFor();
    await page.getByTestId('tail-status').filter({ hasText: 'Tailing: 2 new record(s)' }).waitFor();
    assert.deepEqual(await rowsShown('Live tail'), ['2:10', '1:10']);
    await screenshot(
      page,
      'live-tail',
      page.locator('section', { has: page.getByRole('heading', { name: 'Live tail' }) }),
    );
    await page.getByRole('button', { name: 'Stop live tail' }).click();
    await page.getByTestId('tail-status').filter({ hasText: 'Tail stopped after 2 record(s)' }).waitFor();
    await waitUntil(() => liveTailCount(fx.server.app) === 0, 'the tail consumer to close');
    await producer.send({ topic: 'browse', partition: 0, key: 'late', value: 'after the stop' });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await tail.getByText('after the stop').count(), 0);
  });

  test('closing the page closes the tail', async () => {
    const other = await browser.context.newPage();
    await other.goto(`${fx.server.url}/#/local/topics/browse`);
    await other.getByRole('button', { name: 'Start live tail' }).click();
    await other.getByTestId('tail-status').filter({ hasText: 'Tailing' }).waitFor();
    assert.equal(liveTailCount(fx.server.app), 1);
    await other.close();
    await waitUntil(() => liveTailCount(fx.server.app) === 0, 'the tail consumer to close after the page closed');
  });

  test('tail of a missing topic is a 404', async () => {
    const response = await fetch(`${fx.server.url}/api/clusters/local/topics/nope/tail`);
    assert.equal(response.status, 404);
    assert.equal(liveTailCount(fx.server.app), 0);
  });

  test("the server's close ends an open tail and its consumer", async () => {
    const second = await ConsoleServer.start({
      clusters: [{ name: 'local', bootstrapServers: fx.broker.bootstrap }],
      port: 0,
    });
    const response = await fetch(`${second.url}/api/clusters/local/topics/browse/tail`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: ready')) {
      const { value, done } = await reader.read();
      assert.equal(done, false, 'the stream ended before ready');
      text += Buffer.from(value as Uint8Array).toString('utf8');
    }
    assert.equal(liveTailCount(second.app), 1);
    // Without the preClose hook the open stream would keep close() waiting for ever.
    await Promise.race([
      second.close(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('close() waited on the open tail')), 10_000)),
    ]);
    assert.equal(liveTailCount(second.app), 0);
    for (;;) if ((await reader.read()).done) break;
  });
});
