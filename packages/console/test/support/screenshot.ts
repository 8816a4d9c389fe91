import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = join(PACKAGE_ROOT, '.tmp', 'screenshots');
const DOCS = join(PACKAGE_ROOT, '..', '..', 'docs', 'console');

/**
 * A screenshot into .tmp/screenshots (the full page, or one part of it); UPDATE_CONSOLE_SCREENSHOTS=1
 * also copies it to docs/console/.
 */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  if (part === undefined) await page.screenshot({ path: file, fullPage: true });
  else await part.screenshot({ path: file });
  if (process.env.UPDATE_CONSOLE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${name}.png`));
  }
}

/** Polls `check` every 100 ms until it is true, failing after `timeoutMs` with `what`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
