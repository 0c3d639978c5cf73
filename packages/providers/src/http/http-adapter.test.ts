/**
 * The shared HTTP runtime against a hand-written server, for what the simulator does not
 * exercise: vendors that report no usage, keep-alive reuse, refused connections, a caller
 * signal aborted before the call, and the total timeout after the first token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerConfigSchema, type ChatRequest, type ModelCallSettings, type StreamEvent } from '@switchyard/core';
import { createAdapter } from '../registry';
import { countTokens, estimateRequestTokens } from '../tokenizer';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler = (_request, response) => response.end();
let server: Server;
let url = '';
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => handler(request, response));
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const settings: ModelCallSettings = { id: 'local/m', upstreamName: 'm', price: { inputPerMTok: 1, outputPerMTok: 2 } };
const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Count these words please' }] };
const adapterFor = (overrides: Record<string, unknown> = {}) =>
  createAdapter(providerConfigSchema.parse({ id: 'local', type: 'openai-compatible', baseUrl: url, ...overrides }));
const json = (body: unknown) => (_request: IncomingMessage, response: ServerResponse) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(body));
};

describe('HttpAdapter', () => {
  it('estimates usage with the tokenizer when the vendor reports none, and says so', async () => {
    handler = json({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'three little words' }, finish_reason: 'stop' }] });
    const adapter = adapterFor();
    const response = await adapter.chat(request, { model: settings });
    const prompt = estimateRequestTokens(request);
    const completion = countTokens('three little words');
    expect(response.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      cost: (prompt * 1 + completion * 2) / 1_000_000,
      cost_estimated: true,
    });
    await adapter.close();
  });

  it('estimates stream usage from the streamed text', async () => {
    handler = (_request, response) => {
      response.setHeader('content-type', 'text/event-stream');
      response.write('data: {"id":"s","choices":[{"index":0,"delta":{"content":"hello "}}]}\n\n');
      response.write('data: {"id":"s","choices":[{"index":0,"delta":{"content":"world"},"finish_reason":"stop"}]}\n\n');
      response.end('data: [DONE]\n\n');
    };
    const adapter = adapterFor({ type: 'mistral' });
    const events: StreamEvent[] = [];
    for await (const event of adapter.stream(request, { model: settings })) events.push(event);
    expect(events.at(-1)).toEqual({
      type: 'usage',
      usage: expect.objectContaining({ completion_tokens: countTokens('hello world'), prompt_tokens: estimateRequestTokens(request), cost_estimated: true }),
    });
    await adapter.close();
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    handler = json({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const adapter = adapterFor();
    const before = connections;
    // undici may open a second socket while the first is being returned to the pool; never one per call.
    for (let index = 0; index < 10; index += 1) await adapter.chat(request, { model: settings });
    expect(connections - before).toBeLessThanOrEqual(2);
    await adapter.close();
  });

  it('reports a refused connection as a retryable upstream error', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'down', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' }));
    await expect(adapter.chat(request, { model: settings })).rejects.toMatchObject({ code: 'upstream', retryable: true, provider: 'down' });
    await adapter.close();
  });

  it('reports an error response whose body is cut by its status, with its retry-after, not as a network error', async () => {
    handler = (_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2', 'content-length': '500' });
      response.write('{"error":{"message":"slow do');
      // The connection drops before the promised 500 bytes arrive.
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const adapter = adapterFor();
    await expect(adapter.chat(request, { model: settings })).rejects.toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000 });
    // A cut success body is still a failed call: half a completion is not an answer.
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"id":"x","choices":[');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    await expect(adapter.chat(request, { model: settings })).rejects.toMatchObject({ code: 'upstream', retryable: true });
    await adapter.close();
  });

  it('does not call at all when the caller signal is already aborted', async () => {
    const adapter = adapterFor();
    const controller = new AbortController();
    controller.abort();
    const before = connections;
    await expect(adapter.chat(request, { model: settings, signal: controller.signal })).rejects.toMatchObject({ code: 'timeout', retryable: false });
    expect(connections).toBe(before);
    await adapter.close();
  });

  it('stops a non-streamed call in flight when the caller aborts', async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    handler = () => arrived(); // …and never answers.
    const adapter = adapterFor();
    const controller = new AbortController();
    const call = adapter.chat(request, { model: settings, signal: controller.signal, timeouts: { firstTokenMs: 10_000, totalMs: 10_000 } });
    await requestArrived;
    controller.abort();
    // The caller's abort, not the 10 s timers, ended it: the message says which.
    await expect(call).rejects.toMatchObject({ code: 'timeout', retryable: false, message: expect.stringMatching(/aborted by the caller/) });
    await adapter.close();
  });

  it('enforces the total timeout after the first token', async () => {
    handler = (_request, response) => {
      response.setHeader('content-type', 'text/event-stream');
      response.write('data: {"id":"s","choices":[{"index":0,"delta":{"content":"slow"}}]}\n\n');
      // …and never finishes.
    };
    const adapter = adapterFor();
    const seen: StreamEvent[] = [];
    const failure = (async () => {
      for await (const event of adapter.stream(request, { model: settings, timeouts: { firstTokenMs: 5_000, totalMs: 300 } })) seen.push(event);
    })();
    await expect(failure).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/complete response within 300 ms/) });
    expect(seen.map((event) => event.type)).toEqual(['start', 'text']);
    await adapter.close();
  });

  it('lists models', async () => {
    handler = json({ object: 'list', data: [{ id: 'a', context_window: 1000 }, { id: 'b' }] });
    const adapter = adapterFor();
    expect(await adapter.listModels?.()).toEqual([{ id: 'a', contextWindow: 1000 }, { id: 'b' }]);
    await adapter.close();
  });
});
