import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { countTokens, estimateRequestTokens } from './tokenizer';

describe('tokenizer', () => {
  it('counts o200k_base tokens', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it("counts exactly what js-tiktoken's own encoder produces, across scripts, code, numbers, emoji and rare byte sequences", () => {
    const reference = new Tiktoken(o200k);
    const texts = [
      'Switchyard routes each request to the model that answers it best for the price.',
      'Natürlich können wir das übermorgen besprechen — Grüße aus Köln!',
      '東京の天気は晴れです。明日は雨が降るでしょう。',
      'Привет, как дела? Всё хорошо, спасибо.',
      'مرحبا بالعالم، هذا اختبار.',
      'function add(a: number, b: number): number {\n  return a + b; // 12345678901234567890\n}',
      '{"model":"auto","messages":[{"role":"user","content":"What is 17 * 23?"}],"stream":true}',
      '🚀🎉👩‍👩‍👧‍👦 emoji ZWJ sequences and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝓂𝒶𝓉𝒽 letters',
      '    indented\t\ttabs\r\nand CRLF\n\n\nblank lines   trailing   ',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'zqxjvkwpf qwzxv pneumonoultramicroscopicsilicovolcanoconiosis',
      '3.14159265358979 1,000,000 0x7fffffff 1e-9 -42',
    ];
    for (const text of texts) expect(countTokens(text), text).toBe(reference.encode(text, [], []).length);
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
