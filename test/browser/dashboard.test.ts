import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { startSystem, type RunningSystem } from '../support/system';
import { launchBrowser, screenshot, withPage } from './browser-harness';

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
    await withPage(browser, async (page) => {
      // Each file goes up once: no second (dry-run) upload to fetch the report.
      const uploads: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/datasets') uploads.push(request.url());
      });
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
      // Said once: nothing was stored, how many rows were valid, and why.
      expect(await page.getByTestId('upload-rejected').textContent()).toMatch(/^Nothing stored: 1 valid row, 3 rows with errors \(75\.0%, more than the 10% allowed\)/);
      expect((await page.locator('main').textContent())?.match(/more than the 10% allowed/g)).toHaveLength(1);
      expect(await report.textContent()).toMatch(/Valid rows\s*1/);
      expect(await report.textContent()).not.toMatch(/Items kept/);
      await page.getByRole('button', { name: 'Store the 1 valid row' }).waitFor();
      expect(uploads.map((url) => new URL(url).search)).toEqual(['', '']);
      await screenshot(page, 'datasets-line-errors');
    });
  }, 120_000);

  it('runs an eval with a live progress bar and shows results with intervals', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${system.apiUrl}/#/datasets`);
      // The finance set uploaded above (the bundled copy has the same content, so it may carry the bundled name).
      await page.getByRole('button', { name: /finance/ }).first().click();
      await page.getByRole('heading', { name: /Run an eval on .*finance/ }).waitFor();
      // The form says what it preselected (never the priciest models by default); pick one model to be sure.
      await page.getByTestId('preselection').waitFor();
      for (const box of await page.locator('fieldset.models input[type=checkbox]').all()) if (await box.isChecked()) await box.uncheck();
      await page.getByLabel('sim-openai/swift-mini').check();
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

      // The run list has this run and the first-start ones; opening another shows its results.
      const runs = page.getByTestId('eval-runs');
      const rows = runs.locator('tbody tr[data-run]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=eval-runs] tbody tr[data-run]').length >= 2, undefined, { timeout: 30_000 });
      const ids = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-run')!));
      // First-start runs may still be starting, so the API can have newer ones than the page loaded.
      const api = (await (await fetch(`${system.apiUrl}/api/eval-runs?limit=100`)).json()) as { items: Array<{ id: string }> };
      expect(api.items.map((run) => run.id)).toEqual(expect.arrayContaining(ids));
      const shown = (await page.locator('[data-testid=run-view] h2 code').textContent())!;
      expect(ids.some((id) => id.startsWith(shown))).toBe(true);
      const other = ids.filter((id) => !id.startsWith(shown)).at(-1)!;
      await runs.getByRole('button', { name: `Open run ${other.slice(0, 8)}` }).click();
      await page.waitForFunction((id) => document.querySelector('[data-testid=run-view] h2')?.textContent?.includes(id.slice(0, 8)), other, { timeout: 30_000 });
      await page.locator('[data-testid=run-results] tbody tr').first().waitFor({ timeout: 30_000 });
      expect(await runs.locator(`tr[data-run="${other}"]`).getAttribute('aria-current')).toBe('true');
      await screenshot(page, 'datasets-eval-runs');
      // The run list scrolls inside its panel on a phone instead of widening the page.
      await page.setViewportSize({ width: 390, height: 844 });
      await vi.waitFor(async () => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1), { timeout: 5_000 });
    });
  }, 240_000);

  it('fills the leaderboard with the simulated models (latency, quality with intervals), at 1280 px and 390 px', async () => {
    await withPage(browser, async (page) => {
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
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await page.goto(`${system.apiUrl}/#/tradeoffs`);
      await page.locator('figure.chart svg').first().waitFor({ timeout: 30_000 });
      // The probe charts: no Plot warning (nor its ⚠ glyph), time ticks as times, every chart headed.
      await page.getByRole('img', { name: 'Probe latency p50 over time per model' }).waitFor({ timeout: 60_000 });
      await page.getByRole('heading', { name: /Latency distribution/ }).waitFor();
      const charts = await page.locator('figure.chart').allTextContents();
      expect(charts.join('\n')).not.toContain('⚠');
      expect(charts.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(warnings.filter((warning) => /Plot|cardinality/i.test(warning))).toEqual([]);
      // Point labels (models and routes) never overlap one another; there are labels to check.
      await page.locator('figure.chart g[aria-label=text] text').first().waitFor({ timeout: 30_000 });
      const overlapping = await page.evaluate(() =>
        [...document.querySelectorAll('figure.chart svg')].flatMap((svg) => {
          const boxes = [...svg.querySelectorAll('g[aria-label=text] text')].map((text) => ({ text: text.textContent, box: text.getBoundingClientRect() }));
          return boxes.flatMap((a, index) =>
            boxes.slice(index + 1).filter((b) => a.box.left < b.box.right - 1 && b.box.left < a.box.right - 1 && a.box.top < b.box.bottom - 1 && b.box.top < a.box.bottom - 1).map((b) => `${a.text} / ${b.text}`),
          );
        }),
      );
      expect(overlapping).toEqual([]);
      await screenshot(page, 'tradeoffs');
    });
  }, 240_000);

  it('exports the current policy as a JSON file matching /api/policies/current', async () => {
    await withPage(browser, async (page) => {
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
      // Versions, diff and rollback come first, within the first screen; one route card at a time, picked by a button.
      const versions = page.getByTestId('policy-versions');
      const card = page.getByTestId('route-card');
      await card.waitFor();
      expect(await versions.evaluate((element, other) => Boolean(element.compareDocumentPosition(other!) & Node.DOCUMENT_POSITION_FOLLOWING), await card.elementHandle())).toBe(true);
      expect((await versions.boundingBox())!.y).toBeLessThan(300);
      expect(await card.count()).toBe(1);
      await card.getByRole('button', { name: 'fast', exact: true }).click();
      expect(await card.getByRole('heading').first().textContent()).toMatch(/Route fast/);
      await screenshot(page, 'policy');
      // The Portkey export holds one route: the picker chooses it.
      await page.getByLabel('Route to export for Portkey').selectOption('cheap');
      expect(await page.getByTestId('export-portkey').getAttribute('href')).toMatch(/format=portkey&route=cheap$/);

      // A policy published by hand is pinned: the page says so, and resuming learning lifts the pin.
      const shownNow = (await (await fetch(`${system.apiUrl}/api/policies/current`)).json()) as { hash: string; document: Record<string, unknown> };
      const handPublished = await fetch(`${system.apiUrl}/api/policies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ document: { ...shownNow.document, createdAt: new Date().toISOString(), parentHash: shownNow.hash }, note: 'by hand' }),
      });
      expect(handPublished.status).toBe(201);
      await page.reload();
      const pin = page.getByTestId('policy-pin');
      await pin.waitFor({ timeout: 15_000 });
      expect(await pin.textContent()).toMatch(/Pinned:.*publishes nothing until learning resumes/s);
      // With two versions now there is always a diff: it reads as traffic moved (0–100%), not a raw L1 distance.
      const summary = page.getByTestId('diff-summary');
      await summary.waitFor({ timeout: 30_000 });
      expect(await summary.textContent()).not.toMatch(/\(L1\)|[1-9]\d{2,}\.\d%/);
      await page.getByTestId('resume-learning').click();
      await pin.waitFor({ state: 'detached', timeout: 15_000 });
      expect(((await (await fetch(`${system.apiUrl}/api/policies`)).json()) as { pin: unknown }).pin).toBeNull();
      // A rollback from the version list pins the version rolled back to.
      await page.getByRole('button', { name: 'Roll back to this' }).first().click();
      await page.getByRole('button', { name: 'Roll back', exact: true }).click();
      await pin.waitFor({ timeout: 15_000 });
      // The diff follows the pointer: the version rolled back to, against the one it replaced.
      const afterRollback = (await (await fetch(`${system.apiUrl}/api/policies`)).json()) as { currentHash: string; events: Array<{ hash: string }> };
      await vi.waitFor(async () => expect(await page.getByTestId('diff-to').inputValue()).toBe(afterRollback.currentHash), { timeout: 15_000 });
      expect(await page.getByTestId('diff-from').inputValue()).toBe(afterRollback.events.find((event) => event.hash !== afterRollback.currentHash)?.hash);
      await page.getByTestId('resume-learning').click();
      await pin.waitFor({ state: 'detached', timeout: 15_000 });
    });
  }, 240_000);

  it('sends a prompt in the playground and shows the routed model', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${system.apiUrl}/#/playground`);
      // Any price is a valid hint, not only multiples of 0.1.
      const hint = page.getByLabel('Max $/MTok hint');
      for (const value of ['0.0001', '0.25']) {
        await hint.fill(value);
        expect(await hint.evaluate((input: HTMLInputElement) => input.checkValidity())).toBe(true);
      }
      await hint.fill('');
      // The category hints offered are the policy's categories, not a fixed list.
      const policy = (await (await fetch(`${system.apiUrl}/api/policies/current`)).json()) as { document: { routes: Record<string, { categories: Record<string, unknown> }> } };
      const policyCategories = [...new Set(['general', ...Object.values(policy.document.routes).flatMap((route) => Object.keys(route.categories))])].sort();
      await vi.waitFor(async () => expect(await page.getByLabel('Category hint').locator('option').allTextContents()).toEqual(['let the router decide', ...policyCategories]), { timeout: 15_000 });
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
    });
  }, 180_000);

  it('hides routine job runs by default and says how many', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${system.apiUrl}/#/jobs`);
      // Ingests run every 2 s and probes every minute, so by now there are routine runs to hide.
      const hidden = page.getByTestId('routine-hidden');
      await hidden.waitFor({ timeout: 60_000 });
      expect(await hidden.textContent()).toMatch(/^[\d,]+ routine runs? hidden$/);
      const listed = await page.locator('table').last().locator('tbody tr').evaluateAll((rows) =>
        rows.map((row) => `${row.querySelector('td:nth-child(2)')?.textContent ?? ''} ${row.querySelector('td:nth-child(3)')?.textContent ?? ''}`),
      );
      expect(listed.filter((row) => /^outcome-ingest.* completed$/.test(row))).toEqual([]);
      await page.getByLabel(/Hide routine runs/).uncheck();
      await page.waitForFunction(() => [...document.querySelectorAll('tbody td:nth-child(2)')].some((cell) => cell.textContent?.startsWith('outcome-ingest')), undefined, {
        timeout: 30_000,
      });
      await screenshot(page, 'jobs');
    });
  }, 120_000);

  it('shows the queue UI with every queue and no third-party request or CSP refusal', async () => {
    await withPage(browser, async (page) => {
      const foreign: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(system.apiUrl) && !request.url().startsWith('data:')) foreign.push(request.url());
      });
      await page.goto(`${system.apiUrl}/admin/queues`);
      await page.getByText('Switchyard queues').first().waitFor({ timeout: 30_000 });
      for (const queue of ['latency-probe', 'eval-run', 'optimize', 'outcome-ingest']) await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 30_000 });
      await screenshot(page, 'queues');
      expect(foreign).toEqual([]);
    });
  }, 60_000);

  it('shows the published expected point for an unchanged route, and a labelled estimate once it is edited', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${system.apiUrl}/#/routes`);
      const preview = page.getByTestId('route-preview');
      await preview.waitFor({ timeout: 60_000 });
      expect(await preview.getAttribute('data-kind')).toBe('published');
      expect(await preview.textContent()).toMatch(/Published policy .*expected quality \d+\.\d%/s);
      const steps = await page.locator('fieldset input[type=number]').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('step')));
      expect(steps).toEqual(Array(5).fill('any'));
      await page.getByLabel('Max $/MTok').fill('0.25');
      await page.waitForFunction(() => document.querySelector('[data-testid=route-preview]')?.getAttribute('data-kind') === 'estimate');
      expect(await preview.textContent()).toMatch(/Estimate, not yet optimized/);
      await screenshot(page, 'routes-estimate');
    });
  }, 120_000);
});
