/**
 * The quota, SCRAM-user and Streams-apps pages in a real browser (Debian's Chromium), against a
 * broker with SASL and Kafka's AclAuthorizer that the console reaches over SASL_PLAINTEXT/PLAIN as
 * a super user: set and remove quotas, create and delete SCRAM credentials (the password never
 * comes back), see a Streams application with its internal topics. Every page is reached from the
 * navigation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import type { Page } from 'playwright-core';
import { ConsoleServer } from '../src/console-server.js';
import { type Browser, launchChromium } from './support/browser.js';
import { screenshot } from './support/screenshot.js';

const SASL = {
  'security.protocol': 'SASL_PLAINTEXT',
  'sasl.mechanism': 'PLAIN',
  'sasl.username': 'admin',
  'sasl.password': 'admin-secret',
};

describe('quota, SCRAM user and Streams app pages in a browser', () => {
  let broker: BrokerProcess;
  let server: ConsoleServer;
  let admin: Admin;
  let browser: Browser;
  let page: Page;
  const responses: string[] = [];
  before(async () => {
    browser = await launchChromium();
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
    const bootstrapServers = `127.0.0.1:${broker.portOf('SASL_PLAINTEXT')}`;
    server = await ConsoleServer.start({ clusters: [{ name: 'secure', bootstrapServers, properties: SASL }], port: 0 });
    admin = new Admin({ 'bootstrap.servers': bootstrapServers, ...SASL });
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
    // Every API answer the pages get, to check that no password ever comes back.
    page.on('response', (r) => {
      if (r.url().includes('/api/'))
        void r.text().then(
          (t) => responses.push(t),
          () => undefined,
        );
    });
  });
  after(async () => {
    await browser?.close();
    await admin?.close();
    await server?.close();
    await broker?.close();
  });

  test('quotas: set for a user and the default client id, list, remove', async () => {
    await page.goto(`${server.url}/#/secure`);
    await page.getByRole('link', { name: 'Quotas' }).click();
    await page.getByRole('heading', { name: 'Quotas' }).waitFor();
    await page.getByText('Set a quota').click();
    const form = page.getByRole('form', { name: 'Set a quota' });
    await form.getByLabel('User').fill('alice');
    await form.getByLabel('Producer bytes/s').fill('1024');
    await form.getByLabel('Consumer bytes/s').fill('2048');
    await form.getByRole('button', { name: 'Set quota' }).click();
    await page.getByRole('status').filter({ hasText: 'Quota of user alice set' }).waitFor();
    await form.getByLabel('Entity').selectOption('client-id');
    await form.getByLabel('Request percentage').fill('50');
    await form.getByLabel('Producer bytes/s').fill('');
    await form.getByLabel('Consumer bytes/s').fill('');
    await form.getByRole('button', { name: 'Set quota' }).click();
    await page.getByRole('status').filter({ hasText: 'Quota of client-id (default) set' }).waitFor();
    const table = page.getByRole('table', { name: '2 quota entities' });
    await table.waitFor();
    const cells = async (entity: string) =>
      (await table.getByRole('row').filter({ hasText: entity }).getByRole('cell').allTextContents()).slice(0, 4);
    assert.deepEqual(await cells('user alice'), ['user alice', '1024', '2048', '—']);
    assert.deepEqual(await cells('client-id (default)'), ['client-id (default)', '—', '—', '50']);
    const described = await admin.describeClientQuotas({ components: [] });
    assert.equal(described.length, 2);
    await screenshot(page, 'quotas');
    page.once('dialog', (dialog) => void dialog.accept());
    await table.getByRole('row').filter({ hasText: 'user alice' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: 'Quotas of user alice removed' }).waitFor();
    await page.getByRole('table', { name: '1 quota entity' }).waitFor();
    assert.deepEqual(
      (await admin.describeClientQuotas({ components: [] })).map((q) => q.entity),
      [{ clientId: null }],
    );
    await form.getByLabel('Entity').selectOption('user');
    await form.getByLabel('User').fill('bob');
    await form.getByLabel('Request percentage').fill('');
    await form.getByRole('button', { name: 'Set quota' }).click();
    await page.getByRole('alert').filter({ hasText: 'no quota values given' }).waitFor();
  });

  test('SCRAM users: create two credentials, list them without the password, delete one', async () => {
    await page.getByRole('link', { name: 'SCRAM users' }).click();
    await page.getByRole('heading', { name: 'SCRAM users' }).waitFor();
    await page.getByText('Create or update a credential').click();
    const form = page.getByRole('form', { name: 'Save a SCRAM credential' });
    await form.getByLabel('User').fill('carol');
    await form.getByLabel('Password').fill('carol-secret-pw');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await page.getByRole('status').filter({ hasText: 'Credential SCRAM-SHA-256 of carol saved' }).waitFor();
    assert.equal(await form.getByLabel('Password').inputValue(), '');
    await form.getByLabel('Mechanism').selectOption('SCRAM-SHA-512');
    await form.getByLabel('Password').fill('carol-secret-pw');
    await form.getByLabel('Iterations').fill('8192');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await page.getByRole('status').filter({ hasText: 'Credential SCRAM-SHA-512 of carol saved' }).waitFor();
    const table = page.getByRole('table', { name: '1 user(s)' });
    await table.getByRole('row').filter({ hasText: 'SCRAM-SHA-512' }).waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    assert.deepEqual(rows, [
      ['carol', 'SCRAM-SHA-256', '4096'],
      ['carol', 'SCRAM-SHA-512', '8192'],
    ]);
    await screenshot(page, 'scram-users');
    page.once('dialog', (dialog) => void dialog.accept());
    await table.getByRole('row').filter({ hasText: 'SCRAM-SHA-256' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Credential SCRAM-SHA-256 of carol deleted' }).waitFor();
    await table.getByRole('row').filter({ hasText: 'SCRAM-SHA-256' }).waitFor({ state: 'detached' });
    const [carol] = await admin.describeUserScramCredentials(['carol']);
    assert.deepEqual(carol?.credentialInfos, [{ mechanism: 'SCRAM-SHA-512', iterations: 8192 }]);
    assert.ok(responses.length > 0);
    assert.ok(!responses.some((t) => t.includes('carol-secret-pw')), 'no API answer contains the password');
  });

  test('Streams apps: a group with internal topics is listed with links to them', async () => {
    for (const name of ['wc-input', 'wc-STATE-STORE-0000000003-changelog', 'wc-KSTREAM-0000000005-repartition']) {
      await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 1 }]);
    }
    await admin.alterConsumerGroupOffsets('wc', [{ topic: 'wc-input', partition: 0, offset: 0n }]);
    await admin.alterConsumerGroupOffsets('plain', [{ topic: 'wc-input', partition: 0, offset: 0n }]);
    await page.getByRole('link', { name: 'Streams apps' }).click();
    const table = page.getByRole('table', { name: '1 application(s)' });
    await table.waitFor();
    const row = table.locator('tbody tr');
    assert.deepEqual((await row.getByRole('cell').allTextContents()).slice(0, 3), ['wc', 'Empty', '0']);
    assert.deepEqual(await row.getByRole('cell').nth(3).getByRole('link').allTextContents(), [
      'wc-KSTREAM-0000000005-repartition',
      'wc-STATE-STORE-0000000003-changelog',
    ]);
    await screenshot(page, 'streams-apps');
    await row.getByRole('link', { name: 'wc', exact: true }).click();
    await page.getByRole('heading', { name: 'Consumer group wc' }).waitFor();
  });
});
