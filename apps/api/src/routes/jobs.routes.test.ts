import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '@switchyard/core';
import { createBullConnection, desiredSchedules, queueNames, QueueSet, registerSchedules, workerMetrics } from '@switchyard/jobs';
import { auth, seedCatalog, startTestApi, type TestApi } from './api-test-harness';

let api: TestApi;
let queues: QueueSet;

beforeAll(async () => {
  api = await startTestApi();
  await seedCatalog(api);
  queues = new QueueSet(createBullConnection(api.context.config.redisUrl), api.context.config.redisPrefix);
  const config = configSchema.parse({ ...api.context.config, schedules: { latencyProbe: { everyMs: 60_000, models: ['sim-a/mini'] } } });
  await registerSchedules(queues, desiredSchedules(config, []));
  // A job that failed with its error, as a worker leaves it.
  await queues.get(queueNames.catalogSync).add('catalog-sync', {}, { jobId: 'failed-sync' });
}, 60_000);
afterAll(async () => {
  const connection = queues?.connection;
  await queues?.close();
  connection?.disconnect();
  await api?.close();
}, 60_000);

describe('GET /api/jobs', { timeout: 30_000 }, () => {
  it('lists schedules with their next run and queue counts', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/jobs', headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const ids = body.schedules.map((schedule: { id: string }) => schedule.id);
    expect(ids).toEqual(expect.arrayContaining(['latency-probe|sim-a%2Fmini', 'catalog-sync', 'optimize', 'outcome-ingest']));
    const probe = body.schedules.find((schedule: { id: string }) => schedule.id === 'latency-probe|sim-a%2Fmini');
    expect(probe).toMatchObject({ queue: 'latency-probe', everyMs: 60_000, data: { model: 'sim-a/mini' }, subject: 'sim-a/mini' });
    expect(Date.parse(probe.next)).not.toBeNaN();
    expect(body.queues['catalog-sync'].waiting).toBeGreaterThanOrEqual(1);
    expect(body.queues).toHaveProperty('eval-item-sim-a');
    expect(body.queueUi).toBe('/admin/queues');
    expect(Array.isArray(body.recent)).toBe(true);
  });

  it('shows failed jobs with their error', async () => {
    const job = await queues.get(queueNames.catalogSync).getJob('failed-sync');
    // Move it to failed the way a worker does.
    const { Worker } = await import('bullmq');
    const worker = new Worker(
      queueNames.catalogSync,
      async () => {
        throw new Error('provider listing failed: 503');
      },
      { connection: createBullConnection(api.context.config.redisUrl), prefix: queues.prefix, autorun: true },
    );
    const deadline = Date.now() + 15_000;
    while ((await job?.getState()) !== 'failed' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.close();
    const response = await api.app.inject({ method: 'GET', url: '/api/jobs?state=failed', headers: auth });
    const failed = response.json().recent.find((entry: { id: string }) => entry.id === 'failed-sync');
    expect(failed).toMatchObject({ queue: 'catalog-sync', state: 'failed', error: 'provider listing failed: 503', outcome: null, idle: false, routine: false });
  });

  it('leaves out runs that had nothing to do when asked', async () => {
    const queue = queues.get(queueNames.outcomeIngest);
    await queue.add('outcome-ingest', {}, { jobId: 'idle-ingest' });
    const { Worker } = await import('bullmq');
    const worker = new Worker(queueNames.outcomeIngest, async () => ({ read: 0, inserted: 0, malformed: 0, batches: 0, claimed: 0 }), {
      connection: createBullConnection(api.context.config.redisUrl),
      prefix: queues.prefix,
      autorun: true,
    });
    const deadline = Date.now() + 15_000;
    while ((await (await queue.getJob('idle-ingest'))?.getState()) !== 'completed' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.close();
    const ids = async (url: string) => (await api.app.inject({ method: 'GET', url, headers: auth })).json().recent.map((entry: { id: string }) => entry.id);
    const all = await api.app.inject({ method: 'GET', url: '/api/jobs', headers: auth });
    expect(all.json().recent.find((entry: { id: string }) => entry.id === 'idle-ingest')).toMatchObject({ idle: true, routine: true, outcome: 'nothing to ingest' });
    expect(await ids('/api/jobs?hideIdle=true')).not.toContain('idle-ingest');
    // Hiding routine runs leaves it out too, and says how many such runs it left out.
    const routine = (await api.app.inject({ method: 'GET', url: '/api/jobs?hideRoutine=true', headers: auth })).json();
    expect(routine.recent.map((entry: { id: string }) => entry.id)).not.toContain('idle-ingest');
    expect(routine.recent.filter((entry: { routine: boolean }) => entry.routine)).toEqual([]);
    expect(routine.hiddenRoutine).toBe(all.json().recent.filter((entry: { routine: boolean }) => entry.routine).length);
    expect(routine.hiddenRoutine).toBeGreaterThan(0);
    expect(all.json().hiddenRoutine).toBe(0);
  });

  it('counts every completed job, not only the few that removeOnComplete keeps', async () => {
    const queue = queues.get(queueNames.demoTraffic);
    const total = 30;
    await queue.addBulk(Array.from({ length: total }, (_, index) => ({ name: 'demo-traffic', data: { ratePerSecond: 1 }, opts: { jobId: `tick-${index}`, removeOnComplete: { count: 3 } } })));
    const { Worker } = await import('bullmq');
    const worker = new Worker(queueNames.demoTraffic, async () => ({ sent: 1, skipped: 0 }), {
      connection: createBullConnection(api.context.config.redisUrl),
      prefix: queues.prefix,
      metrics: workerMetrics,
      concurrency: 5,
    });
    const deadline = Date.now() + 15_000;
    while ((await queue.getMetrics('completed', 0, 0)).meta.count < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.close();
    const body = (await api.app.inject({ method: 'GET', url: '/api/jobs', headers: auth })).json();
    expect(body.queues['demo-traffic']).toMatchObject({ completed: total, completedRetained: 3, failed: 0, failedTotal: 0 });
    // A queue no worker with metrics ever ran still shows what it stores.
    expect(body.queues['catalog-sync'].completed).toBe(body.queues['catalog-sync'].completedRetained);
  });

  it('hides routine demo-traffic ticks with hideIdle, but never a failed one', async () => {
    const queue = queues.get(queueNames.demoTraffic);
    await queue.add('demo-traffic', { ratePerSecond: 2 }, { jobId: 'tick-ok' });
    await queue.add('demo-traffic', { ratePerSecond: -1 }, { jobId: 'tick-failed', attempts: 1 });
    const { Worker } = await import('bullmq');
    const worker = new Worker(
      queueNames.demoTraffic,
      async (job) => {
        if ((job.data as { ratePerSecond: number }).ratePerSecond < 0) throw new Error('router unreachable');
        return { sent: 2, skipped: 0 };
      },
      { connection: createBullConnection(api.context.config.redisUrl), prefix: queues.prefix },
    );
    const deadline = Date.now() + 15_000;
    const settled = async () => (await queue.getJob('tick-ok'))?.finishedOn && (await queue.getJob('tick-failed'))?.finishedOn;
    while (!(await settled()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.close();
    const recent = async (url: string) => (await api.app.inject({ method: 'GET', url, headers: auth })).json().recent as Array<{ id: string; queue: string; state: string }>;
    const all = await recent('/api/jobs');
    expect(all.find((entry) => entry.id === 'tick-ok')).toMatchObject({ state: 'completed', idle: true, outcome: '2 requests sent' });
    const shown = await recent('/api/jobs?hideIdle=true');
    expect(shown.filter((entry) => entry.queue === 'demo-traffic' && entry.state === 'completed')).toEqual([]);
    expect(shown.find((entry) => entry.id === 'tick-failed')).toMatchObject({ state: 'failed', idle: false, error: 'router unreachable' });
  });

  it('validates the query and requires the admin token', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/jobs?limit=0', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'GET', url: '/api/jobs' })).statusCode).toBe(401);
  });
});

describe('POST /api/optimize', { timeout: 30_000 }, () => {
  it('queues an optimize run; repeated requests coalesce into the waiting one', async () => {
    const first = await api.app.inject({ method: 'POST', url: '/api/optimize', headers: auth, payload: { reason: 'route saved' } });
    expect(first.statusCode).toBe(202);
    const { jobId } = first.json();
    expect(jobId).toBeTruthy();
    const second = await api.app.inject({ method: 'POST', url: '/api/optimize', headers: auth, payload: {} });
    expect(second.statusCode).toBe(202);
    const waiting = await queues.get(queueNames.optimize).getJobs(['delayed', 'waiting']);
    const requested = waiting.filter((job) => (job.data as { reason: string }).reason !== 'schedule');
    expect(requested).toHaveLength(1);
    expect(requested[0]?.data).toEqual({ reason: 'route saved' });
  });

  it('rejects a malformed body and a missing token', async () => {
    expect((await api.app.inject({ method: 'POST', url: '/api/optimize', headers: auth, payload: { wait: 'yes' } })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'POST', url: '/api/optimize', payload: {} })).statusCode).toBe(401);
  });
});

describe('queue UI', { timeout: 30_000 }, () => {
  it('serves bull-board at /admin/queues behind the admin token', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const page = await api.app.inject({ method: 'GET', url: '/admin/queues', headers: auth });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('Switchyard queues');
    // No third-party stylesheet (bull-board links Google Fonts, which the CSP refuses).
    expect(page.body).not.toContain('fonts.googleapis.com');
    expect(page.body).toMatch(/<link[^>]+rel="stylesheet"/);
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    const listed = await api.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: auth });
    expect(listed.statusCode).toBe(200);
    const names = (listed.json() as { queues: Array<{ name: string }> }).queues.map((queue) => queue.name);
    expect(names).toEqual(expect.arrayContaining(['latency-probe', 'eval-run', 'optimize', 'outcome-ingest', 'eval-item-sim-a', 'eval-item-sim-b']));
  });
});
