/**
 * Crash test: a real worker process (tsx jobs/src/main.ts) is SIGKILLed in the middle of an
 * eval run; a new one finishes the run. Every (item, model) ends with exactly one result and
 * the totals are right. Then graceful shutdown: SIGTERM lets a worker exit cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEvalRunProgress, getEvalRun } from '@switchyard/db';
import { createBullConnection, QueueSet } from '../src/queues';
import { startEvalRun } from '../src/eval-run';
import { bundledDataset, createJobsEnvironment, registerDatasetFile, reliableFleet, waitFor, type JobsEnvironment } from './harness';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MODELS = ['sim-openai/swift-mini', 'sim-anthropic/coder-pro'];

let env: JobsEnvironment;
let versionId: string;
const children: ChildProcess[] = [];

function spawnWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'jobs/src/main.ts', '--kinds', 'eval', '--no-schedules', '--no-bootstrap', '--concurrency', '4', '--lock-duration-ms', '2000'],
    { cwd: root, env: env.childEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null) console.error(`worker exited with ${code}: ${stderr}`);
  });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

beforeAll(async () => {
  const fleet = reliableFleet();
  // Low latency: calls take tens of milliseconds, so there is a "middle" to kill in.
  for (const model of fleet.models) model.latency = { ttftMedianMs: 25, ttftSpread: 0.2, tokensPerSecond: 3000 };
  env = await createJobsEnvironment({ fleet, zeroLatency: false });
  ({ versionId } = await registerDatasetFile(env.database.db, bundledDataset('gsm8k_test.jsonl'), 'gsm8k'));
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await env?.close();
}, 60_000);

describe('worker crash and shutdown', { timeout: 150_000 }, () => {
  it('a run survives a SIGKILLed worker: every (item, model) has exactly one result', async () => {
    const connection = createBullConnection(env.redis.url);
    const queues = new QueueSet(connection, env.redis.prefix);
    const runId = await startEvalRun({ db: env.database.db, queues }, { datasetVersionId: versionId, models: MODELS, sample: 50 });
    await queues.close();
    connection.disconnect();

    const first = spawnWorker();
    const partial = await waitFor(async () => {
      const counts = await countEvalRunProgress(env.database.db, runId);
      return counts.done >= 20 ? counts.done : undefined;
    }, 60_000, 50);
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');
    const afterKill = (await countEvalRunProgress(env.database.db, runId)).done;
    expect(afterKill).toBeGreaterThanOrEqual(partial);
    expect(afterKill).toBeLessThan(100);

    const second = spawnWorker();
    const run = await waitFor(async () => {
      const row = await getEvalRun(env.database.db, runId);
      return row?.status === 'completed' ? row : undefined;
    }, 90_000, 250);
    expect(run.total).toBe(100);
    expect(run.done).toBe(100);
    expect(run.errors).toBe(0);
    const perPair = await env.database.db
      .selectFrom('eval_results')
      .select(['item_id', 'model_id', ({ fn }) => fn.countAll<number>().as('count')])
      .where('run_id', '=', runId)
      .groupBy(['item_id', 'model_id'])
      .execute();
    expect(perPair).toHaveLength(100);
    expect(perPair.every((row) => Number(row.count) === 1)).toBe(true);
    expect(new Set(perPair.map((row) => row.model_id))).toEqual(new Set(MODELS));

    // Graceful shutdown: SIGTERM, and the process exits cleanly on its own.
    second.kill('SIGTERM');
    expect(await exited(second)).toEqual({ code: 0, signal: null });
  });
});
