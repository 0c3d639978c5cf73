/**
 * Headless Chromium (Debian's `chromium`, driven by playwright-core) against the whole
 * system as `npm start` runs it. Screenshots go to test/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const artifacts = join(dirname(fileURLToPath(import.meta.url)), '../artifacts');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/**
 * Run `body` on a page of a fresh context (1280×900, downloads accepted) and close the context
 * afterwards, also when `body` throws, so a failed test leaves no context open behind it. Any
 * uncaught page error or CSP refusal seen while `body` ran is a bug in the dashboard: once
 * `body` has passed, they fail the test, listed in the order seen.
 */
export async function withPage(browser: Browser, body: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    await body(page);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
