/**
 * Eval runs: start one (a dataset version or a dataset's newest version × models), list
 * them, read one with per-model results and intervals, follow its progress as server-sent
 * events, and page through its per-item results. The run itself proceeds on the workers.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SwitchyardError } from '@switchyard/core';
import { getEvalRun, listEvalResults, listEvalRuns, type Db, type EvalRunRow } from '@switchyard/db';
import type { GroupSummary } from '@switchyard/evals';
import { cancelEvalRun, computeProgress, evalSettingsSchema, startEvalRun, summarizeEvalRun, type EvalRunSummary } from '@switchyard/jobs';
import type { RouteContext } from '../context';
import { openEventStream } from '../live-events';
import { documented, notFound, page, paginationQuery } from './route-schema';

const modelIdSchema = z.string().min(3).max(200).regex(/^[^/\s]+\/\S+$/, 'model ids look like "provider/model"');
const startBody = z
  .object({
    datasetVersionId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a dataset version id').optional(),
    dataset: z.string().trim().min(1).max(200).optional(),
    models: z.array(modelIdSchema).min(1).max(50),
    force: z.boolean().default(false),
    sample: z.number().int().positive().max(100_000).optional(),
    settings: evalSettingsSchema.partial().optional(),
  })
  .refine((body) => body.datasetVersionId !== undefined || body.dataset !== undefined, { message: 'give datasetVersionId or dataset', path: ['datasetVersionId'] });
const idParams = z.object({ id: z.uuid() });
const listQuery = paginationQuery.extend({ status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']).optional() });
const resultsQuery = paginationQuery.extend({ model: modelIdSchema.optional() });

const groupView = (group: GroupSummary) => ({
  n: group.n,
  errors: group.errors,
  mean: group.mean,
  interval: group.interval,
  totalCostUsd: group.totalCostUsd,
  costPerItemUsd: group.costPerItemUsd,
  latencyMs: group.latencyMs,
  ttftMs: group.ttftMs,
});

/** An eval run as the API shows it: status, progress and settings. */
export function runView(run: EvalRunRow) {
  const settings = run.settings as Record<string, unknown>;
  const progress = computeProgress(run);
  return {
    id: run.id,
    datasetVersionId: run.dataset_version_id,
    dataset: typeof settings.dataset === 'string' ? settings.dataset : null,
    models: run.models,
    status: run.status,
    trigger: run.trigger,
    total: run.total,
    done: run.done,
    errors: run.errors,
    spendUsd: run.spend_usd,
    // Null once the run has ended (completed, cancelled or failed).
    etaMs: progress.etaMs,
    settings,
    error: run.error,
    createdAt: run.created_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
  };
}

/** Per model: overall statistics with an interval, and per category. */
function resultsView(models: readonly string[], groups: readonly GroupSummary[]) {
  return models.map((model) => {
    const mine = groups.filter((group) => group.modelId === model);
    const overall = mine.find((group) => group.category === null);
    return {
      model,
      ...(overall ? groupView(overall) : { n: 0, errors: 0, mean: null, interval: null, totalCostUsd: 0, costPerItemUsd: null, latencyMs: null, ttftMs: null }),
      categories: mine.flatMap((group) => (group.category === null ? [] : [{ category: group.category, ...groupView(group) }])),
    };
  });
}

/**
 * The body of GET /api/eval-runs/:id: the run with per-model results. A finished run's
 * stored summary (completed, or cancelled once its parent job summarized what was done) is
 * used as is; otherwise the results so far are summarized now.
 */
export async function buildEvalRunDetail(db: Db, run: EvalRunRow) {
  const stored = run.status === 'completed' || run.status === 'cancelled' ? (run.summary as unknown as EvalRunSummary | null) : null;
  const summary = stored?.groups ? stored : await summarizeEvalRun(db, run);
  return { ...runView(run), reused: summary.reused, results: resultsView(run.models, summary.groups) };
}

export async function evalRunRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {

  app.post(
    '/api/eval-runs',
    documented({
      tags: ['eval runs'],
      summary: 'Start an eval run: a dataset version (or a dataset by name) × models; stored results are reused unless force',
      body: startBody,
    }),
    async (request, reply) => {
      const body = startBody.parse(request.body);
      const runId = await startEvalRun(
        { db: context.db, queues: context.queues, logger: context.logger },
        {
          ...(body.datasetVersionId ? { datasetVersionId: body.datasetVersionId } : {}),
          ...(body.dataset ? { dataset: body.dataset } : {}),
          models: body.models,
          force: body.force,
          ...(body.sample ? { sample: body.sample } : {}),
          ...(body.settings ? { settings: body.settings } : {}),
        },
      );
      const run = await getEvalRun(context.db, runId);
      if (!run) throw new SwitchyardError('internal', 'the run vanished after it was created');
      return reply.code(202).header('location', `/api/eval-runs/${runId}`).send(runView(run));
    },
  );

  app.post(
    '/api/eval-runs/:id/cancel',
    documented({
      tags: ['eval runs'],
      summary: 'Cancel a queued or running eval run: items not yet started are dropped, results so far are kept (409 if it already finished)',
      params: idParams,
    }),
    async (request) => {
      const { id } = idParams.parse(request.params);
      const run = await cancelEvalRun({ db: context.db, queues: context.queues, logger: context.logger, live: { redis: context.redis, prefix: context.config.redisPrefix } }, id);
      return runView(run);
    },
  );

  app.get('/api/eval-runs', documented({ tags: ['eval runs'], summary: 'Eval runs, newest first', querystring: listQuery }), async (request) => {
    const query = listQuery.parse(request.query);
    const { runs, total } = await listEvalRuns(context.db, { limit: query.limit, offset: query.offset, ...(query.status ? { status: query.status } : {}) });
    return page(runs.map(runView), query.limit, query.offset, total);
  });

  app.get('/api/eval-runs/:id', documented({ tags: ['eval runs'], summary: 'One eval run: status, progress and per-model results with intervals', params: idParams }), async (request) => {
    const { id } = idParams.parse(request.params);
    const run = await getEvalRun(context.db, id);
    if (!run) throw notFound(`eval run ${id}`);
    return buildEvalRunDetail(context.db, run);
  });

  app.get(
    '/api/eval-runs/:id/results',
    documented({ tags: ['eval runs'], summary: 'Per-item results of a run (paginated, optionally one model)', params: idParams, querystring: resultsQuery }),
    async (request) => {
      const { id } = idParams.parse(request.params);
      const query = resultsQuery.parse(request.query);
      if (!(await getEvalRun(context.db, id))) throw notFound(`eval run ${id}`);
      const rows = await listEvalResults(context.db, id, { limit: query.limit + 1, offset: query.offset, ...(query.model ? { modelId: query.model } : {}) });
      return page(
        rows.map((row) => ({
          itemId: row.item_id,
          model: row.model_id,
          category: row.category,
          score: row.score,
          explanation: row.explanation,
          output: row.output,
          errorCode: row.error_code,
          ttftMs: row.ttft_ms,
          latencyMs: row.latency_ms,
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          costUsd: row.cost_usd,
          reused: row.reused_from !== null,
        })),
        query.limit,
        query.offset,
      );
    },
  );

  app.get(
    '/api/eval-runs/:id/events',
    documented({
      tags: ['eval runs'],
      summary: 'Server-sent events of one run: `progress` {done,total,errors,spendUsd,etaMs,status} and `result` {model}; ends when the run is finished',
      params: idParams,
      produces: ['text/event-stream'],
    }),
    async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const run = await getEvalRun(context.db, id);
      if (!run) throw notFound(`eval run ${id}`);
      const finished = (status: string) => status === 'completed' || status === 'failed' || status === 'cancelled';
      const stream = openEventStream(reply);
      // Listen before the first frame, so no event published after it is missed.
      if (!finished(run.status)) {
        const stop = await context.live.listen((event) => {
          if (event.type === 'eval-progress' && event.runId === id) {
            const { type: _type, ...progress } = event;
            stream.send('progress', progress);
            if (finished(event.status)) {
              stream.send('end', { status: event.status });
              stream.close();
            }
          } else if (event.type === 'eval-result' && event.runId === id) {
            stream.send('result', { model: event.model });
          }
        });
        if (stream.closed) stop();
        else stream.onClose(stop);
      }
      const latest = (await getEvalRun(context.db, id)) ?? run;
      stream.send('progress', computeProgress(latest, { done: latest.done, errors: latest.errors, spendUsd: latest.spend_usd }));
      if (finished(latest.status)) {
        stream.send('end', { status: latest.status });
        stream.close();
      }
    },
  );
}
