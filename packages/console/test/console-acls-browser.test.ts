/**
 * The ACLs page in a real browser (Debian's Chromium) against a broker with Kafka's
 * AclAuthorizer: create a binding through the form, see it listed, delete it after confirming.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import type { Page } from 'playwright-core';
import { ConsoleServer } from '../src/console-server.js';
import { type Browser, launchChromium } from './support/browser.js';

describe('ACLs page in a browser', () => {
  let broker: BrokerProcess;
  let server: ConsoleServer;
  let admin: Admin;
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    broker = await BrokerProcess.start({
      properties: {
        'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
        'super.users': 'User:ANONYMOUS',
      },
    });
    server = await ConsoleServer.start({ clusters: [{ name: 'local', bootstrapServers: broker.bootstrap }], port: 0 });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
  });
  after(async () => {
    await browser?.close();
    await admin?.close();
    await server?.close();
    await broker?.close();
  });

  test('create an ACL through the form, see it listed, delete it', async () => {
    await page.goto(`${server.url}/#/local/acls`);
    await page.getByRole('heading', { name: 'ACLs' }).waitFor();
    await page.getByText('Create ACL').first().click();
    const form = page.getByRole('form', { name: 'Create ACL' });
    await form.getByLabel('Resource type').selectOption('TOPIC');
    await form.getByLabel('Resource name').fill('orders');
    await form.getByLabel('Principal').fill('User:alice');
    await form.getByLabel('Operation').selectOption('WRITE');
    await form.getByLabel('Permission').selectOption('DENY');
    await form.getByRole('button', { name: 'Create ACL' }).click();
    await page.getByRole('status').filter({ hasText: 'ACL for User:alice created' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'User:alice' });
    await row.waitFor();
    assert.deepEqual((await row.getByRole('cell').allTextContents()).slice(0, 6), [
      'TOPIC:orders',
      'LITERAL',
      'User:alice',
      '*',
      'WRITE',
      'DENY',
    ]);
    assert.equal((await admin.describeAcls()).length, 1);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'ACL for User:alice deleted' }).waitFor();
    await page.getByRole('table', { name: '0 ACL(s)' }).waitFor();
    assert.deepEqual(await admin.describeAcls(), []);
  });
});
