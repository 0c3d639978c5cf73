/**
 * demo-traffic: a small built-in traffic generator (config `demoTraffic.ratePerSecond`,
 * off by default) so a newcomer sees live routing. Each second it sends eval-like prompts
 * — real items of the registered datasets — to the router's `/v1/chat/completions` with
 * model `auto`, grades each answer with the item's grader and reports the score through
 * `/v1/feedback`, the way an application with user ratings would. Requests are fired, not
 * awaited by the job, so a slow model does not slow the rate; in-flight requests are capped.
 */
import { grade, promptMessages, type EvalItem } from '@switchyard/evals';
import { sql } from 'kysely';
import type { JobsContext } from './context';
import { rowToEvalItem } from './eval-run';

export interface DemoTrafficData {
  ratePerSecond: number;
}

const MAX_IN_FLIGHT = 100;
let inFlight = 0;
let pool: { items: EvalItem[]; loadedAt: number } | undefined;

async function itemPool(context: Pick<JobsContext, 'db'>): Promise<EvalItem[]> {
  if (pool && Date.now() - pool.loadedAt < 10 * 60_000 && pool.items.length > 0) return pool.items;
  const rows = await context.db
    .selectFrom('dataset_items')
    .selectAll()
    .where('grader', '<>', 'llm-judge')
    .orderBy(sql`md5(content_hash)`)
    .limit(500)
    .execute();
  pool = { items: rows.map(rowToEvalItem), loadedAt: Date.now() };
  return pool.items;
}

/** Where the router listens, as seen from this process. */
export function routerBaseUrl(config: JobsContext['config']): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.router.port}`;
}

/** One request through the router, graded, with its score sent as feedback. */
export async function sendDemoRequest(baseUrl: string, item: EvalItem): Promise<{ status: number; model: string | null; score: number | null }> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchyard-category': item.category },
    body: JSON.stringify({ model: 'auto', messages: promptMessages(item), max_tokens: 512, temperature: 0 }),
    signal: AbortSignal.timeout(60_000),
  });
  const requestId = response.headers.get('x-request-id');
  const model = response.headers.get('x-switchyard-model');
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status, model, score: null };
  }
  const body = (await response.json()) as { choices?: Array<{ message?: { content?: string | null } }> };
  const output = body.choices?.[0]?.message?.content ?? '';
  const graded = await grade(item, output);
  if (requestId) {
    await fetch(`${baseUrl}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: requestId, score: graded.score, comment: 'demo traffic: graded against the eval item' }),
      signal: AbortSignal.timeout(10_000),
    }).then((feedback) => feedback.body?.cancel());
  }
  return { status: response.status, model, score: graded.score };
}

export async function processDemoTraffic(context: JobsContext, data: DemoTrafficData): Promise<{ sent: number; skipped: number }> {
  const items = await itemPool(context);
  if (items.length === 0) return { sent: 0, skipped: 0 };
  const rate = Math.max(0, Math.min(50, data.ratePerSecond));
  const baseUrl = routerBaseUrl(context.config);
  let sent = 0;
  let skipped = 0;
  // Spread the second's requests evenly; fractional rates fire with that probability.
  const count = Math.floor(rate) + (Math.random() < rate - Math.floor(rate) ? 1 : 0);
  for (let index = 0; index < count; index += 1) {
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped += 1;
      continue;
    }
    const item = items[Math.floor(Math.random() * items.length)] as EvalItem;
    inFlight += 1;
    sent += 1;
    setTimeout(() => {
      sendDemoRequest(baseUrl, item)
        .catch((error: unknown) => context.logger.debug({ err: error }, 'demo request failed'))
        .finally(() => (inFlight -= 1));
    }, Math.floor((index * 1000) / Math.max(1, count)));
  }
  return { sent, skipped };
}
