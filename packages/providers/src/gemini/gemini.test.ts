import { describe, expect, it } from 'vitest';
import type { ChatRequest, ModelCallSettings, StreamEvent } from '@switchyard/core';
import { encodeGeminiRequest, geminiFormat } from './gemini-adapter';

const settings: ModelCallSettings = { id: 'gemini/gemini-x', upstreamName: 'gemini-x', price: { inputPerMTok: 1, outputPerMTok: 2 } };
const context = { provider: 'gemini', model: settings.id };
const tool = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } };

describe('gemini request translation', () => {
  it('builds contents with the model role, systemInstruction and generationConfig', () => {
    const body = encodeGeminiRequest(
      {
        model: 'x',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,QUJD' } }] },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 100,
        stop: ['X'],
        seed: 3,
        response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' } } },
      },
      settings,
    );
    expect(body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Look' }, { inlineData: { mimeType: 'image/jpeg', data: 'QUJD' } }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: {
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 100,
        stopSequences: ['X'],
        seed: 3,
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object' },
      },
    });
  });

  it('translates function declarations, calls and responses (names recovered from call ids)', () => {
    const body = encodeGeminiRequest(
      {
        model: 'x',
        tools: [tool],
        tool_choice: { type: 'function', function: { name: 'lookup' } },
        messages: [
          { role: 'user', content: 'Find' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"a"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '{"hits":2}' },
          { role: 'tool', tool_call_id: 'unknown', content: 'plain text' },
        ],
      },
      settings,
    );
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'lookup', parametersJsonSchema: tool.function.parameters }] }]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Find' }] },
      { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { q: 'a' } } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'lookup', response: { hits: 2 } } },
          { functionResponse: { name: 'tool', response: { result: 'plain text' } } },
        ],
      },
    ]);
  });

  it('uses x-goog-api-key and the model in the path', () => {
    expect(geminiFormat.authHeaders('k')).toEqual({ 'x-goog-api-key': 'k' });
    expect(geminiFormat.chatPath(settings, false)).toBe('/v1beta/models/gemini-x:generateContent');
    expect(geminiFormat.chatPath(settings, true)).toBe('/v1beta/models/gemini-x:streamGenerateContent?alt=sse');
  });
});

describe('gemini response translation', () => {
  const request: ChatRequest = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };

  it('maps candidates, function calls, finish reasons and usage (thinking billed as output)', () => {
    const decoded = geminiFormat.decode(
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'thinking', thought: true }, { text: 'Sure.' }, { functionCall: { name: 'lookup', args: { q: 'z' } } }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 4, thoughtsTokenCount: 6, cachedContentTokenCount: 2 },
        modelVersion: 'gemini-x-001',
        responseId: 'r1',
      },
      request,
      settings,
      context,
    );
    const choice = decoded.response.choices[0];
    expect(choice?.message.content).toBe('Sure.');
    expect(choice?.message.tool_calls?.[0]?.function).toEqual({ name: 'lookup', arguments: '{"q":"z"}' });
    expect(choice?.message.tool_calls?.[0]?.id).toMatch(/^call_/);
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(decoded.response.model).toBe('gemini-x-001');
    expect(decoded.usage).toEqual({ promptTokens: 8, completionTokens: 10, cachedTokens: 2 });
  });

  it('maps MAX_TOKENS and SAFETY, and a blocked prompt to content_filter', () => {
    const finish = (reason: string) =>
      geminiFormat.decode({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: reason }] }, request, settings, context).response.choices[0]?.finish_reason;
    expect(finish('MAX_TOKENS')).toBe('length');
    expect(finish('SAFETY')).toBe('content_filter');
    const blocked = geminiFormat.decode({ promptFeedback: { blockReason: 'SAFETY' } }, request, settings, context);
    expect(blocked.response.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('decodes the SSE stream: one finish, cumulative usage, whole function calls', () => {
    const decoder = geminiFormat.createStreamDecoder(request, settings, context);
    const out: StreamEvent[] = [];
    const chunks = [
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 }, responseId: 'r2' },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }, { functionCall: { name: 'f', args: {} } }] } }] },
      { candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 9 } },
    ];
    for (const chunk of chunks) decoder.onEvent({ event: '', data: JSON.stringify(chunk) }, out);
    expect(decoder.complete).toBe(true);
    expect(decoder.usage).toEqual({ promptTokens: 5, completionTokens: 9 });
    expect(out.map((event) => event.type)).toEqual(['start', 'text', 'text', 'tool-call', 'finish']);
    expect(out[4]).toEqual({ type: 'finish', index: 0, finishReason: 'tool_calls' });
  });

  it('maps Google error statuses', () => {
    expect(geminiFormat.errorDetails?.(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid', details: [{ reason: 'API_KEY_INVALID' }] } })).toMatchObject({ code: 'auth' });
    expect(geminiFormat.errorDetails?.(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } })).toEqual({ code: 'rate_limited' });
    expect(geminiFormat.errorDetails?.(503, { error: { code: 503, status: 'UNAVAILABLE' } })).toEqual({ code: 'overloaded' });
  });
});
