import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCurrentPolicy, listEvalRuns } from '@switchyard/db';
import { parsePolicyDocument } from '@switchyard/policy';
import { bootstrapEvaluations } from '../src/bootstrap';
import { processCatalogSync } from '../src/catalog-sync';
import type { JobsRuntime } from '../src/runtime';
import { bundledDataset, createJobsEnvironment, registerDatasetFile, waitFor, type JobsEnvironment } from './harness';

let env: JobsEnvironment;
let runtime: JobsRuntime;

beforeAll(async () => {
  env = await createJobsEnvironment();
  await registerDatasetFile(env.database.db, bundledDataset('openai_evals_chinese_homophonic.jsonl'), 'openai-evals-chinese-homophonic');
  await registerDatasetFile(env.database.db, bundledDataset('openai_evals_finance_calc.jsonl'), 'openai-evals-finance-calc');
  runtime = await env.start({ kinds: ['eval', 'optimize'] });
}, 60_000);
afterAll(async () => {
  await env?.close();
}, 60_000);

describe('first-start bootstrap', { timeout: 90_000 }, () => {
  it('evaluates the simulated fleet on the bundled datasets once, then a policy is published from the results', async () => {
    const result = await bootstrapEvaluations(runtime.context, { sample: 6, waitForDatasetsMs: 0 });
    expect('started' in result && result.started).toHaveLength(2);
    // A second start (or a second worker) does not evaluate again.
    const again = await bootstrapEvaluations(runtime.context, { sample: 6, waitForDatasetsMs: 0 });
    expect('skipped' in again && again.skipped).toMatch(/already started|eval results exist|another worker/);

    const fleetSize = env.resolved.models.length;
    const runs = await waitFor(async () => {
      const { runs: all } = await listEvalRuns(env.database.db);
      return all.length === 2 && all.every((run) => run.status === 'completed') ? all : undefined;
    }, 60_000);
    expect(runs.every((run) => run.trigger === 'bootstrap' && run.models.length === fleetSize && run.total === 6 * fleetSize)).toBe(true);

    // The completed runs asked for an optimize run; the policy reflects the eval evidence.
    const policy = await waitFor(async () => {
      const current = await getCurrentPolicy(env.database.db);
      if (!current) return undefined;
      const document = parsePolicyDocument(current.document);
      const evidence = Object.values(document.routes.auto?.categories ?? {}).flatMap((category) => category.models.map((model) => model.evidence.evalSamples));
      return evidence.some((samples) => samples > 0) ? document : undefined;
    }, 30_000);
    expect(Object.keys(policy.routes)).toContain('auto');
  });

  it('catalog-sync refreshes the catalog and keeps a price the user set', async () => {
    await env.database.db.updateTable('models').set({ input_price_per_mtok: 99, price_source: 'user' }).where('id', '=', 'sim-openai/swift-mini').execute();
    const result = await processCatalogSync(runtime.context);
    expect(result.models).toBe(env.resolved.models.length);
    expect(result.errors).toEqual([]);
    const rows = await env.database.db.selectFrom('models').selectAll().execute();
    expect(rows).toHaveLength(env.resolved.models.length);
    const mini = rows.find((row) => row.id === 'sim-openai/swift-mini');
    expect(mini).toMatchObject({ input_price_per_mtok: 99, price_source: 'user' });
    // Whatever the providers list is recorded as observations; a disagreement is flagged, not applied.
    const observations = await env.database.db.selectFrom('price_observations').selectAll().execute();
    expect(observations).toHaveLength(result.observations);
    expect(observations.filter((row) => row.disagrees).length).toBe(result.disagreements.length);
  });
});
