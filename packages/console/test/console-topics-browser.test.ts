/**
 * The console's topic administration in a real browser (Debian's Chromium) against a real Samsa
 * broker: broker load and disks on the overview, a topic config edited (with its documentation and
 * source shown, a bad value refused, the override reset), a preferred-leader election, and a
 * reassignment plan generated and executed. Screenshots as console-browser.test.ts takes them.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
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

describe('console topic administration in a browser', () => {
  let fx: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    fx = await startConsole();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
    const created = await fx.call('POST', '/clusters/local/topics', {
      name: 'ui-cfg',
      partitions: 2,
      replicationFactor: 1,
    });
    assert.equal(created.status, 201);
  });
  after(async () => {
    await browser?.close();
    await fx?.close();
  });

  test('overview shows partitions led and the log dirs of each broker', async () => {
    await page.goto(`${fx.server.url}/`);
    const load = page.getByRole('table', { name: 'Broker load and disks' });
    await load.waitFor();
    const cells = await load.getByRole('row').nth(1).getByRole('cell').allTextContents();
    assert.equal(cells[0], '0');
    assert.ok(Number(cells[1]) >= 2, `partitions led: ${cells[1]}`);
    assert.match(cells[4] ?? '', /\//);
    for (let i = 0; i < 30; i++) await fx.call('POST', '/clusters/local/topics/ui-cfg/messages', { value: `v${i}` });
    const chart = page.getByRole('img', { name: /Messages in per second, latest/ });
    await chart.waitFor();
    assert.ok(((await chart.locator('polyline').getAttribute('points')) ?? '').split(' ').length >= 1);
    await screenshot(page, 'overview-brokers');
  });

  test('the create-topic form shows the topic config reference', async () => {
    await page.goto(`${fx.server.url}/#/local/topics`);
    await page.getByText('Create topic').click();
    await page.getByText('Topic config reference').click();
    const reference = page.getByRole('table', { name: 'Topic configs Kafka documents' });
    await reference.getByRole('cell', { name: 'min.insync.replicas' }).waitFor();
    await reference.getByRole('cell', { name: 'delete | compact' }).waitFor();
  });

  test('edit a topic config: documentation shown, bad value refused, set, source shown, reset', async () => {
    await page.goto(`${fx.server.url}/#/local/topics/ui-cfg`);
    const edit = page.getByRole('form', { name: 'Edit config' });
    await edit.getByLabel('Config').fill('retention.ms');
    await page.getByTestId('config-doc').filter({ hasText: 'Age after which old segments are deleted' }).waitFor();
    await edit.getByLabel('New value').fill('two hours');
    await edit.getByRole('button', { name: 'Set' }).click();
    await page.getByRole('alert').filter({ hasText: 'retention.ms must be an integer' }).waitFor();
    await edit.getByLabel('New value').fill('7200000');
    await edit.getByRole('button', { name: 'Set' }).click();
    await page.getByRole('status').filter({ hasText: 'retention.ms set to 7200000' }).waitFor();
    const row = page
      .getByRole('table', { name: 'Topic configs' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'retention.ms', exact: true }) });
    await row.getByRole('cell', { name: 'DYNAMIC_TOPIC_CONFIG' }).waitFor();
    assert.equal(await row.getByRole('cell').nth(1).textContent(), '7200000');
    await screenshot(page, 'topic-configs');
    await page.getByRole('button', { name: 'Reset retention.ms' }).click();
    await row.getByRole('cell', { name: 'DEFAULT_CONFIG' }).waitFor();
  });

  test('a preferred-leader election shows each partition’s outcome', async () => {
    await page.getByRole('button', { name: 'Elect preferred leaders' }).click();
    const results = page.getByRole('table', { name: 'Election results' });
    await results.waitFor();
    assert.deepEqual(await results.getByRole('cell').allTextContents(), [
      '0',
      'preferred leader already leads',
      '1',
      'preferred leader already leads',
    ]);
  });

  test('generate a reassignment plan, review its JSON, execute it', async () => {
    await page.getByRole('link', { name: 'Reassign partitions' }).click();
    await page.getByRole('heading', { name: 'Reassign partitions' }).waitFor();
    await page.getByLabel('Topics').fill('ui-cfg');
    await page.getByLabel('Brokers').fill('0');
    await page.getByRole('button', { name: 'Generate plan' }).click();
    await page.getByRole('status').filter({ hasText: 'Plan generated' }).waitFor();
    const plan = JSON.parse(await page.getByLabel('Proposed assignment').inputValue()) as {
      version: number;
      partitions: { partition: number; replicas: number[] }[];
    };
    assert.equal(plan.version, 1);
    assert.deepEqual(
      plan.partitions.map((p) => p.replicas),
      [[0], [0]],
    );
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.getByRole('status').filter({ hasText: 'Reassignment started for 2 partition(s)' }).waitFor();
    await page.getByRole('table', { name: 'No reassignment in progress' }).waitFor();
    await screenshot(page, 'reassignment');
  });
});
