/**
 * What may serve a request beyond the policy's weights: models switched off in the catalog,
 * context windows, routing hints on direct requests, and routes no model can serve.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { publishAndAnnounce, updateModel, upsertModels, upsertProviders } from '@switchyard/db';
import { policyHash, type PolicyDocumentInput } from '@switchyard/policy';
import { ALPHA, BETA, GAMMA, harnessForFile, waitFor } from './harness';

const harness = harnessForFile();
beforeAll(async () => {
  await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 0, [GAMMA]: 0 }, { cheap: {} });
}, 60_000);

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };

async function post(body: unknown) {
  const response = await fetch(`${harness.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
}

describe('eligibility', { timeout: 30_000 }, () => {
  it('refuses a request longer than every context window, naming the windows, without calling anyone', async () => {
    // ~150k tokens of text against the fleet's 128k windows.
    const long = { messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(30_000) }] };
    const routed = await post(long);
    expect(routed.status).toBe(400);
    expect(routed.json.error).toMatchObject({ code: 'no_eligible_model', param: 'messages' });
    expect(String(routed.json.error?.message)).toMatch(/the request's length \(~[\d,]+ prompt tokens\) excluded sim-openai\/\w+ \(context window 128,000 tokens\)/);
    const direct = await post({ ...long, model: BETA });
    expect(direct.status).toBe(400);
    expect(String(direct.json.error?.message)).toContain(`excluded ${BETA} (context window 128,000 tokens)`);
    // max_tokens counts against the window too: ~125k prompt tokens fit 128k, not with 8,000 more.
    const nearly = { messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(25_000) }] };
    expect((await post({ ...nearly, model: BETA })).status).toBe(200);
    const withOutput = await post({ ...nearly, model: BETA, max_tokens: 8_000 });
    expect(String(withOutput.json.error?.message)).toMatch(/\(~[\d,]+ prompt tokens \+ max_tokens 8,000\) excluded sim-openai\/beta \(context window 128,000 tokens\)/);
    // …and against each model's output limit (8,192 in this fleet).
    const tooLong = await post({ ...hello, max_tokens: 20_000 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error).toMatchObject({ code: 'no_eligible_model', param: 'max_tokens' });
    expect(String(tooLong.json.error?.message)).toContain(`max_tokens 20,000 excluded ${ALPHA} (at most 8,192 output tokens)`);
    expect((await post({ ...hello, max_tokens: 1_000 })).status).toBe(200);
  });

  it('applies routing hints to direct provider/model requests too', async () => {
    const capped = await post({ ...hello, model: GAMMA, switchyard: { max_cost_usd: 1e-9 } });
    expect(capped.status).toBe(400);
    expect(String(capped.json.error?.message)).toMatch(/^No model of "sim-openai\/gamma" can take this request: max_cost_usd 1e-9 excluded sim-openai\/gamma \(est\. \$/);
    const outside = await post({ ...hello, model: GAMMA, switchyard: { only: [BETA] } });
    expect(String(outside.json.error?.message)).toContain(`only [${BETA}] excluded ${GAMMA}`);
    const unknown = await post({ ...hello, switchyard: { only: ['nope/x'] } });
    expect(String(unknown.json.error?.message)).toMatch(/; only names nope\/x, which is not among them \(unknown, disabled or not a candidate\)$/);
    expect((await post({ ...hello, model: GAMMA, switchyard: { only: [GAMMA] } })).status).toBe(200);
  });

  it('refuses a route the policy has no model for, with the reason, instead of serving it anyway', async () => {
    const response = await post({ ...hello, model: 'auto:cheap' });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ code: 'no_eligible_model', param: 'model' });
    expect(String(response.json.error?.message)).toMatch(/^Route "auto:cheap" has no model to route to: it has no enabled candidate model\./);
  });

  it('refuses a category the policy has no model for, instead of serving it with the fallback category', async () => {
    const document: PolicyDocumentInput = {
      schemaVersion: 1,
      parentHash: harness.router.table.policyHash,
      createdAt: new Date().toISOString(),
      generator: { algorithm: 'manual', settings: {} },
      routes: {
        auto: {
          objective: { quality: 1, cost: 0.3, latency: 0.1 },
          constraints: { minQuality: 0.85 },
          candidates: [ALPHA, BETA],
          categories: {
            general: { models: [{ model: BETA, weight: 1, expected: { quality: 0.9, costPerRequestUsd: 0.001, ttftP50Ms: 100, ttftP95Ms: 200, latencyP50Ms: 300, latencyP95Ms: 600 } }], fallbackOrder: [BETA] },
            finance: { models: [], fallbackOrder: [] },
          },
          excluded: [{ model: ALPHA, category: 'finance', reason: "in finance: expected quality 0.544 is below the route's minQuality 0.85" }],
          why: 'test policy',
        },
      },
    };
    const hash = policyHash(document);
    await publishAndAnnounce(harness.database.db, harness.redis.redis, harness.redis.prefix, {
      hash,
      schemaVersion: 1,
      parentHash: document.parentHash ?? null,
      document: document as unknown as Record<string, unknown>,
      createdBy: 'test',
    });
    await waitFor(() => harness.router.table.policyHash === hash);
    const refused = await post({ ...hello, switchyard: { category: 'finance' } });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'no_eligible_model', param: 'switchyard.category' });
    expect(String(refused.json.error?.message)).toBe(
      `No model of "auto" can take requests of category "finance" (by hint): no model meets the route's constraints there: ${ALPHA} (expected quality 0.544 is below the route's minQuality 0.85)`,
    );
    const general = await post(hello);
    expect(general.status).toBe(200);
    expect(general.json.model).toBe(BETA);
  });

  it('stops routing to a model switched off in the catalog as soon as it is announced', async () => {
    const db = harness.database.db;
    await upsertProviders(db, [{ id: 'sim-openai', type: 'openai' }]);
    const row = (id: string) => ({ id, provider_id: 'sim-openai', upstream_name: id.split('/')[1]!, input_price_per_mtok: 1, output_price_per_mtok: 2, capabilities: JSON.stringify({}), price_source: 'config' });
    await upsertModels(db, [row(ALPHA), row(BETA), row(GAMMA)]);
    await updateModel(db, ALPHA, { enabled: false });
    await harness.redis.redis.publish(redisKeys(harness.redis.prefix).policyChannel, `model:${ALPHA}`);
    await waitFor(() => harness.router.table.disabled.has(ALPHA));
    // ALPHA had all of auto's weight; the rest of the chain serves now.
    const routed = await post(hello);
    expect(routed.status).toBe(200);
    expect(routed.json.model).not.toBe(ALPHA);
    const direct = await post({ ...hello, model: ALPHA });
    expect(direct.status).toBe(404);
    expect(direct.json.error).toMatchObject({ code: 'model_not_found', message: expect.stringMatching(/is disabled/) });
    const listed = (await (await fetch(`${harness.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(listed.data.map((model) => model.id)).not.toContain(ALPHA);
    expect(listed.data.map((model) => model.id)).toContain(BETA);
  });
});
