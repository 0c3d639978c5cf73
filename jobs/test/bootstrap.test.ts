import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCurrentPolicy, listEvalRuns } from '@switchyard/db';
import { parsePolicyDocument } from '@switchyard/policy';
import { bootstrapEvaluations } from '../src/bootstrap';
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
});
