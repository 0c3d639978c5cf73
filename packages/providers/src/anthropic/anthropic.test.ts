import { describe, expect, it } from 'vitest';
import type { ChatRequest, ModelCallSettings, StreamEvent } from '@switchyard/core';
import { anthropicFormat, encodeAnthropicRequest, JSON_TOOL_NAME } from './anthropic-adapter';

const settings: ModelCallSettings = { id: 'anthropic/claude-x', upstreamName: 'claude-x', price: { inputPerMTok: 3, outputPerMTok: 15 }, maxOutputTokens: 1024 };
const context = { provider: 'anthropic', model: settings.id };
const tool = { type: 'function' as const, function: { name: 'lookup', description: 'Find', parameters: { type: 'object', properties: { q: { type: 'string' } } } } };

describe('anthropic request translation', () => {
  it('hoists leading system messages, merges same-role turns, sets max_tokens from the model', () => {
    const body = encodeAnthropicRequest(
      {
        model: 'x',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Use metric units.' },
          { role: 'user', content: 'Hi' },
          { role: 'user', content: [{ type: 'text', text: 'How tall?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        ],
        temperature: 1.7,
        stop: 'END',
        top_k: 5,
        user: 'u-1',
      } as ChatRequest,
      settings,
      true,
    );
    expect(body).toEqual({
      model: 'claude-x',
      max_tokens: 1024,
      system: 'Be brief.\n\nUse metric units.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'text', text: 'How tall?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          ],
        },
      ],
      temperature: 1,
      stop_sequences: ['END'],
      stream: true,
      metadata: { user_id: 'u-1' },
      top_k: 5,
    });
  });

  it('translates tool definitions, choices, calls and results', () => {
    const body = encodeAnthropicRequest(
      {
        model: 'x',
        tools: [tool],
        tool_choice: 'required',
        max_tokens: 50,
        messages: [
          { role: 'user', content: 'Find cats' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cats"}' } }] },
          { role: 'tool', tool_call_id: 'toolu_1', content: '3 cats' },
        ],
      },
      settings,
      false,
    );
    expect(body.max_tokens).toBe(50);
    expect(body.tools).toEqual([{ name: 'lookup', description: 'Find', input_schema: tool.function.parameters }]);
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Find cats' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'cats' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '3 cats' }] },
    ]);
  });

  it('turns JSON mode into a forced tool, and a system-only prompt into a user turn', () => {
    const body = encodeAnthropicRequest(
      { model: 'x', response_format: { type: 'json_object' }, messages: [{ role: 'system', content: 'rules' }, { role: 'system', content: '(1,[2]) -> ' }] },
      { ...settings, maxOutputTokens: undefined },
      false,
    );
    expect(body.max_tokens).toBe(4096);
    expect(body.system).toBe('rules');
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: '(1,[2]) -> ' }] }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: JSON_TOOL_NAME });
  });

  it('rejects unsupported content parts and non-JSON tool arguments as bad requests', () => {
    expect(() =>
      encodeAnthropicRequest({ model: 'x', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }, settings, false),
    ).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() =>
      encodeAnthropicRequest(
        { model: 'x', messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] },
        settings,
        false,
      ),
    ).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});

describe('anthropic response translation', () => {
  const request: ChatRequest = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };

  it('maps content blocks, stop reasons and usage (cache reads count as prompt tokens)', () => {
    const decoded = anthropicFormat.decode(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: { q: 'x' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 90, cache_creation_input_tokens: 0 },
      },
      request,
      settings,
      context,
    );
    expect(decoded.response.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(decoded.usage).toEqual({ promptTokens: 100, completionTokens: 5, cachedTokens: 90 });
  });

  it('returns the JSON-mode tool input as text', () => {
    const decoded = anthropicFormat.decode(
      { id: 'm', content: [{ type: 'tool_use', id: 't', name: JSON_TOOL_NAME, input: { a: 1 } }], stop_reason: 'tool_use', usage: { input_tokens: 1, output_tokens: 1 } },
      { ...request, response_format: { type: 'json_object' } },
      settings,
      context,
    );
    expect(decoded.response.choices[0]?.message.content).toBe('{"a":1}');
    expect(decoded.response.choices[0]?.finish_reason).toBe('stop');
  });

  it('rejects a malformed body as invalid_response', () => {
    expect(() => anthropicFormat.decode({ content: 'nope' }, request, settings, context)).toThrow(expect.objectContaining({ code: 'invalid_response' }));
  });

  it('decodes the named-event stream, and error events as typed errors', () => {
    const decoder = anthropicFormat.createStreamDecoder(request, settings, context);
    const out: StreamEvent[] = [];
    const events = [
      { type: 'message_start', message: { id: 'msg_2', model: 'claude-x', usage: { input_tokens: 12, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_3', name: 'lookup', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"x"}' } },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } },
      { type: 'message_stop' },
    ];
    for (const event of events) decoder.onEvent({ event: event.type, data: JSON.stringify(event) }, out);
    expect(decoder.complete).toBe(true);
    expect(decoder.usage).toEqual({ promptTokens: 12, completionTokens: 7 });
    expect(out).toEqual([
      expect.objectContaining({ type: 'start', id: 'msg_2', model: 'claude-x' }),
      { type: 'text', index: 0, text: 'Hel' },
      { type: 'text', index: 0, text: 'lo' },
      { type: 'tool-call', index: 0, toolIndex: 0, id: 'toolu_3', name: 'lookup', argumentsDelta: '' },
      { type: 'tool-call', index: 0, toolIndex: 0, argumentsDelta: '{"q":' },
      { type: 'tool-call', index: 0, toolIndex: 0, argumentsDelta: '"x"}' },
      { type: 'finish', index: 0, finishReason: 'tool_calls' },
    ]);
    const failing = anthropicFormat.createStreamDecoder(request, settings, context);
    expect(() => failing.onEvent({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }, [])).toThrow(
      expect.objectContaining({ code: 'overloaded', retryable: true }),
    );
    expect(() => failing.onEvent({ event: 'x', data: '{nope' }, [])).toThrow(expect.objectContaining({ code: 'invalid_response' }));
  });

  it('reads overloaded and auth errors from vendor bodies', () => {
    expect(anthropicFormat.errorDetails?.(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toEqual({ code: 'overloaded', message: 'Overloaded' });
    expect(anthropicFormat.errorDetails?.(403, { type: 'error', error: { type: 'permission_error' } })).toEqual({ code: 'auth' });
  });

  it('sends x-api-key and anthropic-version', () => {
    expect(anthropicFormat.authHeaders('k')).toEqual({ 'anthropic-version': '2023-06-01', 'x-api-key': 'k' });
    expect(anthropicFormat.authHeaders(undefined)).toEqual({ 'anthropic-version': '2023-06-01' });
  });
});
