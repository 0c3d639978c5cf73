/**
 * What a request needs from a model beyond its content, through the router with the official
 * `openai` SDK: `n` > 1 goes only to a model whose vendor API returns several choices (never
 * silently answered with one), JSON mode only to a model configured with it; a 400 names the
 * parameter when no model can.
 */
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALPHA, harnessForFile, openAiClient } from './harness';

// The Anthropic Messages API has no `n`; this model is also configured without JSON mode.
const DELTA = 'sim-anthropic/delta';

const harness = harnessForFile({ extraModels: [{ name: 'delta', format: 'anthropic', inputPerMTok: 0.25, outputPerMTok: 1.25, capabilities: { json: false } }] });
let client: OpenAI;
beforeAll(async () => {
  // All of auto's weight on the Anthropic model; ALPHA is its fallback.
  await harness.publishAndWait({ [DELTA]: 1, [ALPHA]: 0 });
  client = openAiClient(harness);
}, 60_000);

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('n choices', { timeout: 30_000 }, () => {
  it('routes n = 1 by the policy, and n > 1 past a model that returns one choice per call', async () => {
    const one = await client.chat.completions.create({ model: 'auto', messages, max_tokens: 8 });
    expect(one.model).toBe(DELTA);
    expect(one.choices).toHaveLength(1);

    const { data: three, response } = await client.chat.completions.create({ model: 'auto', messages, max_tokens: 8, n: 3 }).withResponse();
    expect(three.model).toBe(ALPHA);
    expect(three.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    for (const choice of three.choices) expect(choice.message.content?.length).toBeGreaterThan(0);
    // Every choice is billed: filler cut at max_tokens, three times.
    expect(three.usage?.completion_tokens).toBe(3 * 8);
    expect(response.headers.get('x-switchyard-reason')).toMatch(/^weight 1\.00 of 1 eligible/);
  });

  it('streams n > 1 choices, each with its own deltas and finish reason', async () => {
    const stream = await client.chat.completions.create({ model: 'auto', messages, max_tokens: 8, n: 2, stream: true, stream_options: { include_usage: true } });
    const texts = ['', ''];
    const finished: Array<string | null> = [null, null];
    let model = '';
    let completionTokens = 0;
    for await (const chunk of stream) {
      model = chunk.model;
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason) finished[choice.index] = choice.finish_reason;
      }
      if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    }
    expect(model).toBe(ALPHA);
    expect(texts[0]?.length).toBeGreaterThan(0);
    expect(texts[1]).toBe(texts[0]);
    expect(finished).toEqual(['length', 'length']);
    expect(completionTokens).toBe(2 * 8);
  });

  it('refuses n > 1 with a 400 naming `n` when no model can return several choices', async () => {
    const direct = await client.chat.completions.create({ model: DELTA, messages, n: 2 }).catch((error: unknown) => error);
    expect(direct).toBeInstanceOf(OpenAI.BadRequestError);
    const error = direct as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.param).toBe('n');
    expect(error.code).toBe('no_eligible_model');
    expect(error.message).toContain(`\`n\` 2 excluded ${DELTA} (one choice per call)`);
    const only = await client.chat.completions
      .create({ model: 'auto', messages, n: 2, switchyard: { only: [DELTA] } } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(only).toBeInstanceOf(OpenAI.BadRequestError);
    // n = 1 is served by the same model.
    expect((await client.chat.completions.create({ model: DELTA, messages, n: 1 })).model).toBe(DELTA);
  });
});

describe('JSON mode', { timeout: 30_000 }, () => {
  it('routes a JSON-mode request past a model configured without it, or refuses it naming response_format', async () => {
    const routed = await client.chat.completions.create({ model: 'auto', messages, response_format: { type: 'json_object' } });
    expect(routed.model).toBe(ALPHA);
    expect(() => JSON.parse(routed.choices[0]?.message.content ?? '')).not.toThrow();
    // Plain text stays with the policy's choice.
    expect((await client.chat.completions.create({ model: 'auto', messages, response_format: { type: 'text' } })).model).toBe(DELTA);

    const direct = await client.chat.completions.create({ model: DELTA, messages, response_format: { type: 'json_object' } }).catch((error: unknown) => error);
    expect(direct).toBeInstanceOf(OpenAI.BadRequestError);
    const error = direct as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.param).toBe('response_format');
    expect(error.message).toContain(`\`response_format\` (no JSON mode) excluded ${DELTA}`);

    const invalid = await client.chat.completions
      .create({ model: 'auto', messages, response_format: { type: 42 } } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect((invalid as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('response_format.type');
  });
});
