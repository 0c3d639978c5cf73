import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { saveDatasetVersion } from './dataset.repository';
import { cancelEvalRunRow, createEvalRun, getEvalRun, listCancelledEvalRunIds, markEvalRunStarted, updateEvalRun } from './eval-run.repository';

const VERSION = 'e'.repeat(64);

describe('eval run repository', { timeout: 30_000 }, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await saveDatasetVersion(test.db, {
      name: 'runs',
      versionId: VERSION,
      format: 'jsonl',
      report: {},
      items: [{ id: 'q1', input: [{ role: 'user', content: '1 + 1?' }], ideal: ['2'], grader: 'numeric', graderOptions: {}, category: 'math', contentHash: 'h1' }],
    });
  });
  afterAll(async () => {
    await test?.drop();
  });
  const newRun = () => createEvalRun(test.db, { datasetVersionId: VERSION, models: ['sim-a/mini'], settings: {}, settingsHash: 'h', total: 1 });

  it('marks a queued run running once, keeping its first start time', async () => {
    const run = await newRun();
    await markEvalRunStarted(test.db, run.id);
    const started = await getEvalRun(test.db, run.id);
    expect(started).toMatchObject({ status: 'running' });
    expect(started?.started_at).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await markEvalRunStarted(test.db, run.id);
    expect((await getEvalRun(test.db, run.id))?.started_at).toEqual(started?.started_at);
  });

  it('never starts a run that was cancelled, failed or completed (an item in flight finishing late must not give it a start after its finish)', async () => {
    const cancelled = await newRun();
    expect(await cancelEvalRunRow(test.db, cancelled.id, 'cancelled by a user')).toBeDefined();
    await markEvalRunStarted(test.db, cancelled.id);
    expect(await getEvalRun(test.db, cancelled.id)).toMatchObject({ status: 'cancelled', started_at: null });

    for (const status of ['failed', 'completed'] as const) {
      const run = await newRun();
      await updateEvalRun(test.db, run.id, { status, finished_at: new Date() });
      await markEvalRunStarted(test.db, run.id);
      expect(await getEvalRun(test.db, run.id)).toMatchObject({ status, started_at: null });
    }
  });

  it('tells which of a set of runs are cancelled', async () => {
    const [running, cancelled] = [await newRun(), await newRun()];
    await markEvalRunStarted(test.db, running.id);
    await cancelEvalRunRow(test.db, cancelled.id, 'cancelled by a user');
    expect(await listCancelledEvalRunIds(test.db, [running.id, cancelled.id, 'not-a-uuid'])).toEqual([cancelled.id]);
    expect(await listCancelledEvalRunIds(test.db, [])).toEqual([]);
  });
});
