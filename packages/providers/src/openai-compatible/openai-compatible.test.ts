import { describe, expect, it } from 'vitest';
import type { ChatRequest, ModelCallSettings, StreamEvent } from '@switchyard/core';
import { mistralPreset } from '../mistral/mistral-preset';
import { openAiPreset } from '../openai/openai-preset';
import { openRouterPreset } from '../openrouter/openrouter-preset';
import { openAiCompatiblePreset } from './openai-compatible';
import { createOpenAiCompatibleAdapter, openAiCompatibleFormat, openAiErrorDetails, openAiFinishReason } from './openai-compatible-adapter';
import { providerConfigSchema } from '@switchyard/core';

const settings: ModelCallSettings = { id: 'openai/gpt-x', upstreamName: 'gpt-x', price: { inputPerMTok: 1, outputPerMTok: 4 } };
const context = { provider: 'openai', model: settings.id };
const request = { model: 'openai/gpt-x', messages: [{ role: 'user', content: 'hi' }], vendor_flag: { deep: true }, stream_options: { include_usage: false } } as ChatRequest;

describe('openai-compatible encoding', () => {
  it('passes unknown fields through, sets the upstream name and asks for stream usage', () => {
    const format = openAiCompatibleFormat(openAiPreset);
    expect(format.encode(request, settings, true)).toEqual({
      model: 'gpt-x',
      messages: request.messages,
      vendor_flag: { deep: true },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(format.encode(request, settings, false)).toEqual({ model: 'gpt-x', messages: request.messages, vendor_flag: { deep: true }, stream: false });
  });

  it('applies preset quirks', () => {
    const mistral = openAiCompatibleFormat(mistralPreset).encode({ ...request, tool_choice: 'required', user: 'u' }, settings, true) as Record<string, unknown>;
    expect(mistral.tool_choice).toBe('any');
    expect(mistral).not.toHaveProperty('stream_options');
    expect(mistral).not.toHaveProperty('user');
    const openrouter = openAiCompatibleFormat(openRouterPreset);
    expect(openrouter.encode(request, settings, false)).toMatchObject({ usage: { include: true } });
    expect(openrouter.authHeaders('k')).toMatchObject({ authorization: 'Bearer k', 'X-Title': 'Switchyard' });
    expect(openAiCompatibleFormat(openAiCompatiblePreset).authHeaders(undefined)).toEqual({});
  });

  it('needs a base URL for the generic preset', () => {
    const provider = providerConfigSchema.parse({ id: 'local', type: 'openai-compatible' });
    expect(() => createOpenAiCompatibleAdapter(provider, openAiCompatiblePreset)).toThrow(expect.objectContaining({ code: 'config' }));
  });
});

describe('openai-compatible decoding', () => {
  const format = openAiCompatibleFormat(openAiPreset);

  it('normalizes responses, finish reasons and usage', () => {
    const decoded = format.decode(
      {
        id: 'c1',
        created: 5,
        model: 'gpt-x-2026',
        choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 4 } },
      },
      request,
      settings,
      context,
    );
    expect(decoded.response).toMatchObject({ id: 'c1', created: 5, model: 'gpt-x-2026', object: 'chat.completion' });
    expect(decoded.response.choices[0]?.message.tool_calls).toEqual([{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }]);
    expect(decoded.usage).toEqual({ promptTokens: 9, completionTokens: 3, cachedTokens: 4 });
    expect(['stop', 'length', 'function_call', 'content_filter', null, 'eos'].map(openAiFinishReason)).toEqual(['stop', 'length', 'tool_calls', 'content_filter', 'stop', 'stop']);
  });

  it('rejects a body without choices as invalid_response', () => {
    expect(() => format.decode({ id: 'x' }, request, settings, context)).toThrow(expect.objectContaining({ code: 'invalid_response' }));
  });

  it('decodes stream chunks, tool-call deltas, usage and [DONE]', () => {
    const decoder = format.createStreamDecoder(request, settings, context);
    const out: StreamEvent[] = [];
    const chunks = [
      { id: 'c2', created: 7, model: 'gpt-x', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { id: 'c2', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] },
      { id: 'c2', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '' } }] } }] },
      { id: 'c2', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] } }] },
      { id: 'c2', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { id: 'c2', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    ];
    for (const chunk of chunks) decoder.onEvent({ event: '', data: JSON.stringify(chunk) }, out);
    expect(decoder.complete).toBe(false);
    decoder.onEvent({ event: '', data: '[DONE]' }, out);
    expect(decoder.complete).toBe(true);
    expect(decoder.usage).toEqual({ promptTokens: 3, completionTokens: 4 });
    expect(out).toEqual([
      { type: 'start', id: 'c2', model: 'gpt-x', created: 7 },
      { type: 'text', index: 0, text: 'Hi' },
      { type: 'tool-call', index: 0, toolIndex: 0, id: 'call_1', name: 'f', argumentsDelta: '' },
      { type: 'tool-call', index: 0, toolIndex: 0, argumentsDelta: '{"a":1}' },
      { type: 'finish', index: 0, finishReason: 'tool_calls' },
    ]);
  });

  it('turns malformed chunks and in-stream errors into typed errors', () => {
    const decoder = format.createStreamDecoder(request, settings, context);
    expect(() => decoder.onEvent({ event: '', data: '{"choices":[' }, [])).toThrow(expect.objectContaining({ code: 'invalid_response' }));
    expect(() => decoder.onEvent({ event: '', data: '{"choices":5}' }, [])).toThrow(expect.objectContaining({ code: 'invalid_response' }));
    expect(() => decoder.onEvent({ event: '', data: '{"error":{"message":"provider died"}}' }, [])).toThrow(expect.objectContaining({ code: 'upstream', message: 'openai: provider died' }));
  });

  it('treats insufficient_quota as not retryable', () => {
    expect(openAiErrorDetails(429, { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } })).toEqual({ message: 'quota', retryable: false });
  });
});
