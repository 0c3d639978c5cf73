import { describe, expect, it } from 'vitest';
import { countTokens, estimateRequestTokens } from './tokenizer';

describe('tokenizer', () => {
  it('counts o200k_base tokens', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it('does not choke on special-token text', () => {
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('estimates a chat request: framing, texts, tool calls and tool schemas', () => {
    const base = estimateRequestTokens({ messages: [{ role: 'user', content: 'hello world' }] });
    expect(base).toBe(3 + 3 + 2);
    const withTools = estimateRequestTokens({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello world' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    expect(withTools).toBeGreaterThan(base + 3);
  });

  it('charges image parts a flat amount', () => {
    const text = estimateRequestTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] });
    const image = estimateRequestTokens({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'https://e/x.png' } }] }],
    });
    expect(image - text).toBe(765);
  });
});
