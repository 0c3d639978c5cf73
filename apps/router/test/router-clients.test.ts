/** Real clients through a real socket: the official `openai` SDK and the Vercel AI SDK. */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFeedbackForRequest } from '@switchyard/db';
import { ALPHA, BETA, GAMMA, harnessForFile, openAiClient } from './harness';

const ANTHROPIC_SERVED = 'sim-anthropic/delta';
const GEMINI_SERVED = 'sim-gemini/epsilon';

const harness = harnessForFile({
  extraModels: [
    { name: 'delta', format: 'anthropic', inputPerMTok: 1, outputPerMTok: 2 },
    { name: 'epsilon', format: 'gemini', inputPerMTok: 1, outputPerMTok: 2 },
  ],
});
let client: OpenAI;
beforeAll(async () => {
  await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 0, [GAMMA]: 0 });
  client = openAiClient(harness);
}, 60_000);

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('openai SDK v6', { timeout: 30_000 }, () => {
  it('non-streaming completion', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe(ALPHA);
    expect(data.choices[0]?.message.role).toBe('assistant');
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect((data.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-model')).toBe(ALPHA);
  });

  it('streaming with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'Tell me a short story about a lighthouse' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text.length).toBeGreaterThan(0);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: ALPHA, choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks.every((chunk) => chunk.id === chunks[0]?.id && typeof chunk.created === 'number')).toBe(true);
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect((last?.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
  });

  it('tool calls, non-streaming and streamed as deltas', async () => {
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const completion = await client.chat.completions.create({ model: 'auto', messages, tools: [weatherTool], tool_choice: 'required' });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_weather');

    const stream = client.chat.completions.stream({ model: 'auto', messages, tools: [weatherTool], tool_choice: 'required' });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(streamed?.type === 'function' ? streamed.function.name : undefined).toBe('get_weather');
    expect(() => JSON.parse(streamed?.type === 'function' ? streamed.function.arguments : '')).not.toThrow();
  });

  it('answers with a Switchyard completion id and the same fields whichever provider served', async () => {
    const fieldSets = new Set<string>();
    for (const model of [ALPHA, ANTHROPIC_SERVED, GEMINI_SERVED]) {
      const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
      expect(data.id).toBe(`chatcmpl-${response.headers.get('x-request-id')}`);
      // The vendor's own id, for its logs and support.
      expect(response.headers.get('x-switchyard-upstream-id')).toMatch(/\S/);
      expect(response.headers.get('x-switchyard-upstream-id')).not.toBe(data.id);
      expect(data.model).toBe(model);
      expect(data).toHaveProperty('system_fingerprint');
      fieldSets.add(Object.keys(data).sort().join(','));

      const { data: stream, response: streamResponse } = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'Say hello' }], stream: true, stream_options: { include_usage: true } })
        .withResponse();
      const ids = new Set<string>();
      for await (const chunk of stream) ids.add(chunk.id);
      expect([...ids]).toEqual([`chatcmpl-${streamResponse.headers.get('x-request-id')}`]);
      expect(streamResponse.headers.get('x-switchyard-upstream-id')).toMatch(/\S/);
    }
    expect([...fieldSets]).toHaveLength(1);
  });

  it('takes feedback on the completion id', async () => {
    const { data: completion, response } = await client.chat.completions.create({ model: ANTHROPIC_SERVED, messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') as string;
    const feedback = await fetch(`${harness.url}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: completion.id, score: 0.7 }),
    });
    expect(feedback.status).toBe(201);
    expect(((await feedback.json()) as { request_id: string }).request_id).toBe(requestId);
    expect((await listFeedbackForRequest(harness.database.db, requestId)).map((row) => row.score)).toEqual([0.7]);
  });

  it("maps errors to the SDK's error classes", async () => {
    await expect(client.chat.completions.create({ model: 'auto:nope', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const error = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'x' }], switchyard: { max_cost_per_mtok: 0.01 } } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming)
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('no_eligible_model');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).headers.get('x-request-id')).toBeTruthy();
  });
});

describe('Vercel AI SDK v5 (openai-compatible provider)', { timeout: 30_000 }, () => {
  it('generateText and streamText', async () => {
    const provider = createOpenAICompatible({ name: 'switchyard', baseURL: `${harness.url}/v1`, apiKey: 'unused', includeUsage: true });
    const generated = await generateText({ model: provider('auto'), prompt: 'Say hello', maxRetries: 0 });
    expect(generated.text.length).toBeGreaterThan(0);
    expect(generated.response.modelId).toBe(ALPHA);
    expect(generated.usage.totalTokens).toBeGreaterThan(0);

    const streamed = streamText({ model: provider('auto:cheap'), prompt: 'Tell me a short story', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
    expect([ALPHA, BETA]).toContain((await streamed.response).modelId);
  });
});
