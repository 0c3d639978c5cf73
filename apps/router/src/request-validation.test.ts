import { describe, expect, it } from 'vitest';
import { validateChatBody } from './request-validation';
import { parseHints } from './routing-hints';

function fails(body: unknown): { param?: string; message: string } {
  try {
    validateChatBody(body);
  } catch (error) {
    return error as { param?: string; message: string };
  }
  throw new Error('expected a validation error');
}

describe('validateChatBody', () => {
  it('accepts a minimal body, defaults model to auto and strips the hint object', () => {
    const body = { messages: [{ role: 'user', content: 'hi' }], switchyard: { category: 'math' }, custom_vendor_field: 1 };
    const chat = validateChatBody(body);
    expect(chat.model).toBe('auto');
    expect(chat.hints).toEqual({ category: 'math' });
    expect('switchyard' in chat.request).toBe(false);
    expect((chat.request as Record<string, unknown>).custom_vendor_field).toBe(1);
    expect(chat.promptText).toBe('hi');
  });

  it('notes content needs', () => {
    const chat = validateChatBody({
      model: 'auto',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:x' } }] }],
      tools: [{ type: 'function', function: { name: 'f' } }],
      n: 2,
    });
    expect(chat.needs).toEqual({ vision: true, audio: false, file: false, tools: true, choices: 2, json: false });
    expect(validateChatBody({ messages: [{ role: 'user', content: 'hi' }] }).needs.choices).toBe(1);
    expect(chat.stream).toBe(true);
    expect(chat.includeUsage).toBe(true);
  });

  it('names the bad field', () => {
    expect(fails({ model: 'auto' })).toMatchObject({ param: 'messages', message: '`messages` is missing' });
    expect(fails({ messages: 'hi' }).param).toBe('messages');
    expect(fails({ messages: [] }).param).toBe('messages');
    expect(fails({ messages: [{ content: 'x' }] }).param).toBe('messages[0].role');
    expect(fails({ messages: [{ role: 'user', content: 5 }] }).param).toBe('messages[0].content');
    expect(fails({ messages: [{ role: 'user', content: [{ type: 'video' }] }] }).param).toBe('messages[0].content[0].type');
    expect(fails({ model: 5, messages: [{ role: 'user', content: 'x' }] }).param).toBe('model');
    expect(fails({ messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }).param).toBe('temperature');
    expect(fails({ messages: [{ role: 'user', content: 'x' }], max_tokens: 1.5 }).param).toBe('max_tokens');
    expect(fails({ messages: [{ role: 'user', content: 'x' }], stream: 'yes' }).param).toBe('stream');
    expect(fails([1, 2]).param).toBe('body');
    const ask = (response_format: unknown) => ({ messages: [{ role: 'user', content: 'x' }], response_format });
    expect(fails(ask('json')).param).toBe('response_format');
    expect(fails(ask({ type: 7 }))).toMatchObject({ param: 'response_format.type', message: expect.stringContaining('got 7') });
    expect(fails(ask({})).param).toBe('response_format.type');
    expect(fails(ask({ type: 'json_schema' })).param).toBe('response_format.json_schema.name');
    expect(fails(ask({ type: 'json_schema', json_schema: { name: 'x', schema: [] } })).param).toBe('response_format.json_schema.schema');
  });

  it('notes JSON mode for json_object and json_schema, not for text', () => {
    const needsOf = (response_format: unknown) => validateChatBody({ messages: [{ role: 'user', content: 'x' }], response_format }).needs.json;
    expect(needsOf({ type: 'json_object' })).toBe(true);
    expect(needsOf({ type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object' } } })).toBe(true);
    expect(needsOf({ type: 'text' })).toBe(false);
    // A vendor's own type passes through, and is not JSON mode.
    expect(needsOf({ type: 'grammar', grammar: 'root ::= "yes" | "no"' })).toBe(false);
    expect(needsOf(null)).toBe(false);
  });
});

describe('parseHints', () => {
  it('reads the body object and headers', () => {
    expect(parseHints({ max_cost_per_mtok: 2, only: ['a/b'], fallback: false }, {})).toEqual({ maxCostPerMTok: 2, only: ['a/b'], fallback: false });
    expect(parseHints(undefined, { 'x-switchyard-category': 'code', 'x-switchyard-exclude': 'a/b, c/d', 'x-switchyard-min-quality': '0.5' })).toEqual({
      category: 'code',
      exclude: ['a/b', 'c/d'],
      minQuality: 0.5,
      fallback: true,
    });
    expect(() => parseHints({ min_quality: 3 }, {})).toThrow(/min_quality/);
    // Category names are normalised as dataset categories are.
    expect(parseHints({ category: 'Math Stuff' }, {}).category).toBe('math-stuff');
    expect(parseHints(undefined, { 'x-switchyard-category': 'MATH' }).category).toBe('math');
    expect(() => parseHints({ category: 42 }, {})).toThrow(/category/);
  });

  it('names the hint as the client sent it: the body field, or the header', () => {
    const paramOf = (body: Record<string, unknown> | undefined, headers: Record<string, string>): unknown => {
      try {
        parseHints(body, headers);
      } catch (error) {
        return (error as { param?: string; message: string }).param + ' | ' + (error as Error).message;
      }
      return 'no error';
    };
    expect(paramOf({ min_quality: 3 }, {})).toBe('switchyard.min_quality | `switchyard.min_quality` must be a number in [0, 1], got 3');
    expect(paramOf(undefined, { 'x-switchyard-min-quality': '3' })).toBe('x-switchyard-min-quality | `x-switchyard-min-quality` must be a number in [0, 1], got "3"');
    expect(paramOf(undefined, { 'x-switchyard-fallback': 'maybe' })).toBe('x-switchyard-fallback | `x-switchyard-fallback` must be a boolean');
    expect(paramOf({ category: '!!!' }, { 'x-switchyard-category': 'math' })).toMatch(/^switchyard.category \| /);
    expect(paramOf({ maxcost: 1 }, {})).toBe('switchyard.maxcost | Unknown routing hint `switchyard.maxcost`. Hints: category, max_cost_per_mtok, max_cost_usd, max_ttft_ms, min_quality, only, exclude, fallback');
    expect(paramOf(undefined, { 'x-switchyard-only': 'a/b' })).toBe('no error');
  });
});
