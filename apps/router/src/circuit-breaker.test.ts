import { describe, expect, it } from 'vitest';
import { CircuitBreakers } from './circuit-breaker';
import { ChunkEncoder, errorFrame } from './sse-encoder';

describe('CircuitBreakers', () => {
  it('opens after consecutive failures, half-opens after the cool-down, closes on success', () => {
    let now = 0;
    const changes: string[] = [];
    const breakers = new CircuitBreakers({ failureThreshold: 3, coolDownMs: 1000, now: () => now, onChange: (model, state) => changes.push(`${model}:${state}`) });
    breakers.onFailure('m');
    breakers.onFailure('m');
    expect(breakers.isOpen('m')).toBe(false);
    breakers.onFailure('m');
    expect(breakers.isOpen('m')).toBe(true);
    now = 1500;
    expect(breakers.isOpen('m')).toBe(false);
    breakers.onAttempt('m');
    expect(breakers.isOpen('m')).toBe(true);
    breakers.onFailure('m');
    expect(breakers.state('m')).toBe('open');
    now = 3000;
    expect(breakers.isOpen('m')).toBe(false);
    breakers.onAttempt('m');
    breakers.onSuccess('m');
    expect(breakers.state('m')).toBe('closed');
    expect(changes).toEqual(['m:open', 'm:half-open', 'm:open', 'm:half-open', 'm:closed']);
  });

  it('keeps a model out for its retry-after', () => {
    let now = 0;
    const breakers = new CircuitBreakers({ failureThreshold: 5, coolDownMs: 1000, now: () => now });
    breakers.onFailure('m', 2000);
    expect(breakers.isOpen('m')).toBe(true);
    now = 2001;
    expect(breakers.isOpen('m')).toBe(false);
  });
});

describe('ChunkEncoder', () => {
  it('writes OpenAI chunk frames', () => {
    const encoder = new ChunkEncoder('chatcmpl-1', 100, 'p/m');
    const frames = encoder.encode({ type: 'text', index: 0, text: 'He"llo' }).split('\n\n').filter(Boolean);
    expect(frames).toHaveLength(2);
    const [role, text] = frames.map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
    expect(role).toMatchObject({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 100, model: 'p/m', choices: [{ index: 0, delta: { role: 'assistant' } }] });
    expect(text).toMatchObject({ choices: [{ index: 0, delta: { content: 'He"llo' }, finish_reason: null }] });
    const call = JSON.parse(encoder.encode({ type: 'tool-call', index: 0, toolIndex: 0, id: 'call_1', name: 'f', argumentsDelta: '{"a"' }).slice(6)) as Record<string, unknown>;
    expect(call).toMatchObject({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a"' } }] } }] });
    expect(JSON.parse(encoder.encode({ type: 'finish', index: 0, finishReason: 'tool_calls' }).slice(6))).toMatchObject({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
    expect(JSON.parse(encoder.usage({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cost: 0.1 }).slice(6))).toMatchObject({ choices: [], usage: { total_tokens: 3, cost: 0.1 } });
    expect(JSON.parse(errorFrame({ message: 'cut', type: 'api_error', code: 'upstream' }).slice(6))).toEqual({ error: { message: 'cut', type: 'api_error', param: null, code: 'upstream' } });
  });
});
