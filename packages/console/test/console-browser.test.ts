/**
 * The console in a real browser (Debian's Chromium) against a real Samsa broker: create a topic,
 * see it listed, produce a message and find it, watch a consumer group's lag, reset its offsets,
 * delete the topic. Each main page is screenshotted into .tmp/screenshots (gitignored);
 * UPDATE_CONSOLE_SCREENSHOTS=1 also copies them to docs/console/ for the README.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Consumer } from '@samsa/client';
import type { Page } from 'playwright-core';
import { type Browser, launchChromium } from './support/browser.js';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(PACKAGE_ROOT, '.tmp', 'screenshots');
const DOCS = join(PACKAGE_ROOT, '..', '..', 'docs', 'console');

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_CONSOLE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${name}.png`));
  }
}

describe('console in a browser', () => {
  let fx: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  before(async () => {
    // The browser first: a missing chromium fails here, naming its Debian package.
    browser = await launchChromium();
    fx = await startConsole();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
  });
  after(async () => {
    await browser?.close();
    await fx?.close();
  });

  test('overview shows the cluster id and the controller broker', async () => {
    await page.goto(`${fx.server.url}/`);
    await page.getByRole('heading', { name: 'Cluster local' }).waitFor();
    const { json } = await fx.call('GET', '/clusters/local');
    assert.equal(await page.getByTestId('cluster-id').textContent(), json.clusterId);
    await page.getByRole('table', { name: 'Brokers' }).getByRole('cell', { name: 'yes' }).waitFor();
    await screenshot(page, 'overview');
  });

  test('create a topic and see it listed, filtered', async () => {
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.getByText('Create topic').click();
    await page.getByLabel('Name', { exact: true }).fill('e2e-orders');
    await page.getByLabel('Partitions', { exact: true }).fill('2');
    await page.getByLabel('Configs').fill('retention.ms=7200000');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'Topic e2e-orders created' }).waitFor();
    await fx.call('POST', '/clusters/local/topics', { name: 'e2e-other', partitions: 1, replicationFactor: 1 });
    await page.reload();
    await page.getByRole('link', { name: 'e2e-other' }).waitFor();
    await page.getByLabel('Filter').fill('orders');
    await page.getByRole('link', { name: 'e2e-orders' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'e2e-other' }).count(), 0);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'e2e-orders' }) });
    assert.deepEqual(await row.getByRole('cell').allTextContents(), ['e2e-orders', '2', '1', '0', '0', '0 B', '—']);
    await page.getByLabel('Filter').fill('');
    await screenshot(page, 'topics');
  });

  test('produce a message and find it when browsing, decoded as JSON', async () => {
    await page.getByRole('link', { name: 'e2e-orders' }).click();
    await page.getByRole('heading', { name: 'Topic e2e-orders' }).waitFor();
    await page.getByText('Produce a message').click();
    const produce = page.locator('details', { hasText: 'Produce a message' });
    await produce.getByLabel('Partition').selectOption('1');
    await produce.getByLabel('Key').fill('order-1');
    await produce.getByLabel('Value', { exact: true }).fill('{"id":1,"item":"book"}');
    await produce.getByLabel('Headers').fill('source=e2e');
    await produce.getByRole('button', { name: 'Produce' }).click();
    await page.getByRole('status').filter({ hasText: 'Produced to partition 1 at offset 0' }).waitFor();
    const browse = page.getByRole('form', { name: 'Browse messages' });
    await browse.getByLabel('Partition').selectOption('1');
    await browse.getByLabel('From offset').fill('0');
    await browse.getByLabel('Decode as').selectOption('json');
    await browse.getByRole('button', { name: 'Browse' }).click();
    const messages = page.getByRole('table', { name: '1 message(s)' });
    await messages.waitFor();
    assert.equal(await messages.locator('pre').textContent(), '{\n  "id": 1,\n  "item": "book"\n}');
    await messages.getByText('source=e2e').waitFor();
    await messages.getByText('order-1').waitFor();
    // The partition table shows the new log end offset.
    const partitions = page.getByRole('table', { name: 'Partitions' });
    await partitions.getByRole('row').nth(2).getByRole('cell').nth(5).filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'topic');
  });

  test("a consumer group's lag, a reset refused while it runs, then previewed and executed", async () => {
    for (let i = 0; i < 4; i++)
      await fx.call('POST', '/clusters/local/topics/e2e-orders/messages', { value: `m${i}`, partition: 0 });
    const consumer = new Consumer({
      'bootstrap.servers': fx.broker.bootstrap,
      'group.id': 'e2e-group',
      'auto.offset.reset': 'earliest',
      // Only the commit below: closing would otherwise commit the positions and clear the lag.
      'enable.auto.commit': false,
    });
    try {
      consumer.subscribe(['e2e-orders']);
      let seen = 0;
      while (seen < 5) seen += (await consumer.poll({ timeoutMs: 1000 })).length;
      await consumer.commitSync([
        { topic: 'e2e-orders', partition: 0, offset: 1n },
        { topic: 'e2e-orders', partition: 1, offset: 1n },
      ]);
      await page.getByRole('link', { name: 'Consumer groups' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'e2e-group' }) });
      await row.waitFor();
      assert.deepEqual(await row.getByRole('cell').allTextContents(), ['e2e-group', 'Stable', '1', '3']);
      await screenshot(page, 'groups');
      await page.getByRole('link', { name: 'e2e-group' }).click();
      await page.getByTestId('group-state').filter({ hasText: 'Stable' }).waitFor();
      assert.deepEqual(await page.getByTestId('lag').allTextContents(), ['3', '0']);
      await page.getByRole('button', { name: 'Execute' }).click();
      await page.getByRole('alert').filter({ hasText: 'stop its consumers' }).waitFor();
    } finally {
      await consumer.close();
    }
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('group-state').filter({ hasText: 'Empty' }).waitFor();
    await page.getByLabel('To', { exact: true }).selectOption('earliest');
    await page.getByRole('button', { name: 'Preview' }).click();
    const planned = page.getByRole('table', { name: 'Planned offsets (dry run)' });
    await planned.waitFor();
    assert.deepEqual(await planned.getByRole('cell').allTextContents(), ['0', '0', '1', '0']);
    assert.deepEqual(await page.getByTestId('lag').allTextContents(), ['3', '0']);
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.getByRole('table', { name: 'Offsets written' }).waitFor();
    await page.getByTestId('lag').first().filter({ hasText: '4' }).waitFor();
    assert.deepEqual(await page.getByTestId('lag').allTextContents(), ['4', '1']);
    await screenshot(page, 'group');
  });

  test('delete the topic after confirming', async () => {
    await page.goto(`${fx.server.url}/#/local/topics/e2e-orders`);
    await page.getByRole('heading', { name: 'Topic e2e-orders' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete topic' }).click();
    await page.getByRole('heading', { name: 'Topics' }).waitFor();
    await page.getByRole('link', { name: 'e2e-other' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'e2e-orders' }).count(), 0);
  });
});
