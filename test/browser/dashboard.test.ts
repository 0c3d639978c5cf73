import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startSystem, type RunningSystem } from '../support/system';
import { launchBrowser, newPage, screenshot } from './browser-harness';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('dashboard in headless Chromium against npm start', () => {
  let system: RunningSystem;
  let browser: Browser;

  beforeAll(async () => {
    system = await startSystem({ timeoutMs: 240_000 });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    // The system's last log lines, next to the screenshots, for when something failed.
    if (system) writeFileSync(join(root, 'test/artifacts/system.log'), system.logs());
    await browser?.close();
    await system?.stop();
  }, 60_000);

  it('uploads a bundled dataset and shows its report; a bad file shows line errors', async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${system.apiUrl}/#/datasets`);
    await page.locator('#ds-title').waitFor();
    await page.locator('[data-testid=dataset-file]').setInputFiles(join(root, 'datasets/openai_evals_finance_calc.jsonl'));
    const report = page.locator('[data-testid=validation-report]');
    await report.waitFor({ timeout: 30_000 });
    await page.getByText(/Stored .*: \d+ items/).waitFor({ timeout: 30_000 });
    expect(await report.textContent()).toMatch(/Items kept\s*80/);
    await screenshot(page, 'datasets-upload');

    const bad = join(tmpdir(), 'switchyard-bad-dataset.jsonl');
    writeFileSync(bad, ['{"input": "What is 2+2?", "ideal": "4"}', '{"input": "no ideal here"}', 'this is not json', '{"ideal": "x"}', ''].join('\n'));
    await page.locator('[data-testid=dataset-file]').setInputFiles(bad);
    const errors = page.locator('[data-testid=line-errors] li');
    await errors.first().waitFor({ timeout: 30_000 });
    const texts = await errors.allTextContents();
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.join('\n')).toMatch(/line 2/);
    expect(texts.join('\n')).toMatch(/line 3/);
    await screenshot(page, 'datasets-line-errors');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('runs an eval with a live progress bar and shows results with intervals', async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${system.apiUrl}/#/datasets`);
    // The finance set uploaded above (the bundled copy has the same content, so it may carry the bundled name).
    await page.getByRole('button', { name: /finance/ }).first().click();
    await page.getByRole('heading', { name: /Run an eval on .*finance/ }).waitFor();
    await page.getByLabel('Sample (items, empty = all)').fill('6');
    await page.getByRole('button', { name: 'Run eval' }).click();
    await page.getByRole('progressbar', { name: 'Eval progress' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.textContent === 'completed', undefined, { timeout: 120_000, polling: 500 });
    const results = page.locator('[data-testid=run-results] tbody tr');
    await results.first().waitFor({ timeout: 30_000 });
    expect(await results.count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('progressbar', { name: 'Eval progress' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('[data-testid=run-results]').textContent()).toMatch(/\d+\.\d%/);
    await screenshot(page, 'datasets-eval-run');
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('fills the leaderboard with the simulated models (latency, quality with intervals), at 1280 px and 390 px', async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${system.apiUrl}/#/leaderboard`);
    await page.getByRole('heading', { name: 'Leaderboard' }).waitFor();
    // Probes fill latency within seconds; quality comes from evals (the run above, or the first-start ones).
    await page.waitForFunction(() => document.querySelectorAll('tr[data-model]').length >= 3, undefined, { timeout: 60_000 });
    await page.waitForFunction(
      () => [...document.querySelectorAll('tr[data-model] td:nth-child(4)')].some((cell) => /\d+ ms/.test(cell.textContent ?? '')),
      undefined,
      { timeout: 60_000, polling: 1000 },
    );
    await page.waitForFunction(
      () => [...document.querySelectorAll('tr[data-model] td:nth-child(3)')].some((cell) => /\d+\.\d%/.test(cell.textContent ?? '')),
      undefined,
      { timeout: 150_000, polling: 2000 },
    );
    const models = await page.locator('tr[data-model]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-model')));
    const api = (await (await fetch(`${system.apiUrl}/api/models`)).json()) as { items: Array<{ id: string }> };
    expect(new Set(models)).toEqual(new Set(api.items.map((model) => model.id)));
    await screenshot(page, 'leaderboard-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(page, 'leaderboard-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${system.apiUrl}/#/tradeoffs`);
    await page.locator('figure.chart svg').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'tradeoffs');
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('exports the current policy as a JSON file matching /api/policies/current', async () => {
    const { context, page, problems } = await newPage(browser);
    // The first policy is published once probes and evals gave the optimizer evidence.
    let current: { hash: string; document: unknown } | undefined;
    for (let attempt = 0; attempt < 90 && !current; attempt++) {
      const response = await fetch(`${system.apiUrl}/api/policies/current`);
      if (response.ok) current = (await response.json()) as { hash: string; document: unknown };
      else await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(current).toBeDefined();
    await page.goto(`${system.apiUrl}/#/policy`);
    const link = page.getByTestId('export-json');
    await link.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    const exported = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    // The page may show a newer version than the one fetched above: compare with the hash it exported.
    const hash = download.suggestedFilename().match(/switchyard-policy-([0-9a-f]{12})/)?.[1];
    expect(hash).toBeDefined();
    const shown = (await (await fetch(`${system.apiUrl}/api/policies/current`)).json()) as { hash: string; document: unknown };
    const expected = shown.hash.startsWith(hash!) ? shown : ((await (await fetch(`${system.apiUrl}/api/policies/${current!.hash}`)).json()) as { document: unknown });
    expect(exported).toEqual(expected.document);
    await page.locator('figure.chart svg').first().waitFor();
    // The page says how requests get their category (the first start evaluates labelled sets, so there is a classifier).
    const classifier = page.getByTestId('classifier');
    await classifier.waitFor();
    expect(await classifier.textContent()).toMatch(/Held-out accuracy \d+(\.\d)?%.*Below \d+% confidence \(calibrated, temperature [\d.]+\)/s);
    await screenshot(page, 'policy');
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('sends a prompt in the playground and shows the routed model', async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${system.apiUrl}/#/playground`);
    await page.getByLabel('Prompt').fill('What is 17 times 23?');
    await page.getByRole('button', { name: 'Send' }).click();
    const routed = page.getByTestId('routed-model');
    await routed.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid=answer]')?.textContent ?? '').trim().length > 1, undefined, { timeout: 60_000 });
    const model = (await routed.textContent())?.trim() ?? '';
    const known = (await (await fetch(`${system.apiUrl}/api/models`)).json()) as { items: Array<{ id: string }> };
    expect(known.items.map((entry) => entry.id)).toContain(model);
    await page.waitForFunction(() => !document.querySelector('button[type=submit]')?.hasAttribute('disabled') || false, undefined, { timeout: 60_000 });
    await screenshot(page, 'playground');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
