/**
 * Headless Chromium (Debian's `chromium`, driven by playwright-core) against the whole
 * system as `npm start` runs it. Screenshots go to test/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

/** A page of its own browser context, with the page errors and CSP refusals seen on it so far. */
export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP refusals, in the order seen. */
  problems: string[];
}

/**
 * Run `body` on a fresh context and page (1280×900, downloads accepted) and close the context
 * afterwards, also when `body` throws, so a failed test leaves no context open behind it.
 */
export async function withPage<T>(browser: Browser, body: (opened: OpenedPage) => Promise<T>): Promise<T> {
  const opened = await newPage(browser);
  try {
    return await body(opened);
  } finally {
    await opened.context.close();
  }
}

async function newPage(browser: Browser): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  // Any CSP violation or uncaught error is a bug in the dashboard.
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
