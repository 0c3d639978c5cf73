import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetDirs } from './datasets';
import { buildSimulator, type Simulator } from './simulator';
import { reliableFleet, TEST_CONTROL_TOKEN, testDatasetDirs } from './test-support';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await buildSimulator({ zeroLatency: true, fleet: reliableFleet(), controlToken: TEST_CONTROL_TOKEN, datasetDirs: testDatasetDirs() });
});
afterAll(() => simulator.app.close());

const openAiBody = (extra: Record<string, unknown> = {}) => ({ model: 'swift-mini', messages: [{ role: 'user', content: 'Hello there' }], ...extra });
const chat = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-anything' }) =>
  simulator.app.inject({ method: 'POST', url: '/openai/v1/chat/completions', headers, payload: body as Record<string, unknown> });
const control = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = { authorization: `Bearer ${TEST_CONTROL_TOKEN}` }) =>
  simulator.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

describe('health', () => {
  it('answers /healthz and /readyz with the fleet and dataset sizes', async () => {
    expect((await simulator.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = (await simulator.app.inject('/readyz')).json() as { models: number; datasetItems: number };
    expect(ready.models).toBe(8);
    expect(ready.datasetItems).toBeGreaterThan(500);
  });
});

describe('authentication per vendor', () => {
  it('openai: missing bearer key → 401 in the OpenAI error shape', async () => {
    const response = await chat(openAiBody(), {});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
  });

  it('openai: any non-empty key is accepted', async () => {
    expect((await chat(openAiBody(), { authorization: 'Bearer x' })).statusCode).toBe(200);
  });

  it('anthropic: missing x-api-key → 401 authentication_error; missing version header → 400', async () => {
    const body = { model: 'coder-pro', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };
    const noKey = await simulator.app.inject({ method: 'POST', url: '/anthropic/v1/messages', headers: { 'anthropic-version': '2023-06-01' }, payload: body });
    expect(noKey.statusCode).toBe(401);
    expect(noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const noVersion = await simulator.app.inject({ method: 'POST', url: '/anthropic/v1/messages', headers: { 'x-api-key': 'k' }, payload: body });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('gemini: missing key → 403 PERMISSION_DENIED; ?key= works', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const noKey = await simulator.app.inject({ method: 'POST', url: '/gemini/v1beta/models/blitz-flash:generateContent', payload: body });
    expect(noKey.statusCode).toBe(403);
    expect(noKey.json()).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
    const withQuery = await simulator.app.inject({ method: 'POST', url: '/gemini/v1beta/models/blitz-flash:generateContent?key=abc', payload: body });
    expect(withQuery.statusCode).toBe(200);
  });
});

describe('requests', () => {
  it('rejects malformed and invalid bodies with 400 in the vendor shape', async () => {
    const malformed = await simulator.app.inject({
      method: 'POST',
      url: '/openai/v1/chat/completions',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      payload: '{"model":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toHaveProperty('error.message');
    expect((await chat({ model: 'swift-mini', messages: [] })).statusCode).toBe(400);
    expect((await chat(openAiBody({ temperature: 3 }))).statusCode).toBe(400);
  });

  it('answers 404 for a model of another format', async () => {
    const response = await chat(openAiBody({ model: 'coder-pro' }));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'model_not_found' } });
  });

  it('answers eval items deterministically, in the form the grader expects', async () => {
    const items = loadDatasetDirs(testDatasetDirs());
    const forms: Record<string, RegExp> = { numeric: /\nAnswer: -?\d+(\.\d+)?$/, choice: /^[A-Z]$/, includes: /^\S+/, exact: /^\S/ };
    for (const grader of ['numeric', 'choice', 'includes', 'exact']) {
      const item = items.find((candidate) => candidate.grader === grader);
      expect(item).toBeDefined();
      if (!item) continue;
      const body = openAiBody({ model: 'allround-m', messages: item.input });
      const first = (await chat(body)).json() as { choices: Array<{ message: { content: string } }> };
      const second = (await chat(body)).json() as { choices: Array<{ message: { content: string } }> };
      const content = first.choices[0]?.message.content ?? '';
      expect(content).toBe(second.choices[0]?.message.content);
      expect(content).toMatch(forms[grader] as RegExp);
    }
  });

  it('gives free-form prompts filler text, cut at max_tokens with finish_reason length', async () => {
    const response = (await chat(openAiBody({ max_tokens: 8 }))).json() as { choices: Array<{ finish_reason: string; message: { content: string } }>; usage: { completion_tokens: number } };
    expect(response.choices[0]?.finish_reason).toBe('length');
    expect(response.usage.completion_tokens).toBeLessThanOrEqual(8);
  });

  it('lists each format\'s models', async () => {
    const openai = await simulator.app.inject({ url: '/openai/v1/models', headers: { authorization: 'Bearer x' } });
    expect((openai.json() as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(['swift-mini', 'numeric-7b', 'allround-m']);
    const gemini = await simulator.app.inject({ url: '/gemini/v1beta/models', headers: { 'x-goog-api-key': 'x' } });
    expect((gemini.json() as { models: Array<{ name: string }> }).models.map((model) => model.name)).toEqual(['models/blitz-flash', 'models/polyglot-pro']);
  });

  it('returns `n` choices (Gemini: candidateCount), each billed, in both shapes and streams', async () => {
    type Completion = { choices: Array<{ index: number; message: { content: string } }>; usage: { completion_tokens: number } };
    // Free-form prompts get filler cut at max_tokens: every choice is max_tokens long.
    const one = (await chat(openAiBody({ max_tokens: 8 }))).json() as Completion;
    expect(one.usage.completion_tokens).toBe(8);
    const three = (await chat(openAiBody({ max_tokens: 8, n: 3 }))).json() as Completion;
    expect(three.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(new Set(three.choices.map((choice) => choice.message.content)).size).toBe(1);
    expect(three.usage.completion_tokens).toBe(3 * 8);

    const stream = await chat(openAiBody({ max_tokens: 8, n: 2, stream: true, stream_options: { include_usage: true } }));
    const frames = stream.body
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .map((frame) => JSON.parse(frame.slice(6)) as { choices: Array<{ index: number; delta: { content?: string }; finish_reason: string | null }>; usage?: { completion_tokens: number } });
    const texts = [0, 1].map((index) => {
      const mine = frames.flatMap((frame) => frame.choices.filter((choice) => choice.index === index));
      expect(mine.at(-1)?.finish_reason).toBe('length');
      return mine.map((choice) => choice.delta.content ?? '').join('');
    });
    expect(texts[0]?.length).toBeGreaterThan(0);
    expect(texts[1]).toBe(texts[0]);
    expect(frames.at(-1)?.usage?.completion_tokens).toBe(2 * 8);

    for (const n of [0, 1.5, 129, 'two']) {
      const bad = await chat(openAiBody({ n }));
      expect(bad.statusCode).toBe(400);
      expect((bad.json() as { error: { message: string } }).error.message).toContain("Invalid 'n'");
    }

    const gemini = (url: string, generationConfig: Record<string, unknown>) =>
      simulator.app.inject({ method: 'POST', url, headers: { 'x-goog-api-key': 'x' }, payload: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig } });
    const twoCandidates = (await gemini('/gemini/v1beta/models/blitz-flash:generateContent', { candidateCount: 2, maxOutputTokens: 8 })).json() as {
      candidates: Array<{ index: number }>;
      usageMetadata: { candidatesTokenCount: number };
    };
    const oneCandidate = (await gemini('/gemini/v1beta/models/blitz-flash:generateContent', { maxOutputTokens: 8 })).json() as typeof twoCandidates;
    expect(twoCandidates.candidates.map((candidate) => candidate.index)).toEqual([0, 1]);
    expect(oneCandidate.usageMetadata.candidatesTokenCount).toBe(8);
    expect(twoCandidates.usageMetadata.candidatesTokenCount).toBe(2 * 8);
    expect((await gemini('/gemini/v1beta/models/blitz-flash:generateContent', { candidateCount: 9 })).statusCode).toBe(400);
  });

  it('honours JSON mode with a schema', async () => {
    const response = await chat(
      openAiBody({
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } } } },
      }),
    );
    const content = (response.json() as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? '';
    expect(JSON.parse(content)).toEqual({ n: 42, tags: ['Paris'] });
  });
});

describe('control endpoint', () => {
  it('requires the token and loopback', async () => {
    expect((await control('GET', '/control/fleet', undefined, {})).statusCode).toBe(401);
    expect((await control('GET', '/control/fleet', undefined, { authorization: 'Bearer wrong-token-value' })).statusCode).toBe(401);
    const remote = await simulator.app.inject({ method: 'GET', url: '/control/fleet', headers: { authorization: `Bearer ${TEST_CONTROL_TOKEN}` }, remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    expect((await control('GET', '/control/fleet')).statusCode).toBe(200);
  });

  it('degrades a model at runtime and resets it', async () => {
    const patched = await control('POST', '/control/models/swift-mini', { errorRates: { '503': 1 }, latency: { ttftMedianMs: 5 }, skill: 0.1 });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ model: { reliability: { errorRates: { '503': 1 } }, latency: { ttftMedianMs: 5 }, skills: { math: 0.1, general: 0.1 } } });
    const failing = await chat(openAiBody());
    expect(failing.statusCode).toBe(503);
    expect((await control('POST', '/control/reset')).statusCode).toBe(200);
    expect((await chat(openAiBody())).statusCode).toBe(200);
  });

  it('rejects bad patches and unknown models', async () => {
    expect((await control('POST', '/control/models/swift-mini', { errorRates: { '503': 2 } })).statusCode).toBe(400);
    expect((await control('POST', '/control/models/swift-mini', { bogus: 1 })).statusCode).toBe(400);
    expect((await control('POST', '/control/models/nope', { skill: 0.5 })).statusCode).toBe(404);
  });

  it('is absent without a control token', async () => {
    const bare = await buildSimulator({ zeroLatency: true, datasetDirs: [] });
    expect((await bare.app.inject({ method: 'GET', url: '/control/fleet' })).statusCode).toBe(404);
    await bare.app.close();
  });
});

describe('reliability profile', () => {
  it('draws faults at the configured rate', async () => {
    await control('POST', '/control/models/swift-mini', { errorRates: { '429': 0.5 } });
    let limited = 0;
    for (let index = 0; index < 200; index += 1) {
      const response = await chat(openAiBody());
      if (response.statusCode === 429) {
        limited += 1;
        expect(response.headers['retry-after']).toBe('1');
      } else expect(response.statusCode).toBe(200);
    }
    await control('POST', '/control/reset');
    // Binomial(200, 0.5): 99.99% of draws fall in [72, 128].
    expect(limited).toBeGreaterThan(72);
    expect(limited).toBeLessThan(128);
  });
});
