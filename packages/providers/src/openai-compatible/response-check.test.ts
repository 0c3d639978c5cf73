import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isWellFormedResponse } from './openai-compatible-adapter';
import { openAiChatResponseSchema } from './openai-compatible-wire';

const valid = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_1',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'hi', refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0 } },
};

const KEEP = Symbol('keep');
const DELETE = Symbol('delete');
type Mutation = [name: string, path: Array<string | number>, value: unknown];

/** A copy of `valid` with the value at `path` replaced (or deleted). */
function mutated(path: Array<string | number>, value: unknown): unknown {
  const body = structuredClone(valid) as unknown;
  if (value === KEEP) return body;
  let parent = body as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
  return body;
}

// Each mutation of a valid body; the hand-written check must agree with the schema on all of them.
const mutations: Mutation[] = [
  ['unchanged', [], KEEP],
  ['no id', ['id'], DELETE],
  ['numeric id', ['id'], 1],
  ['string created', ['created'], 'now'],
  ['null model', ['model'], null],
  ['null fingerprint', ['system_fingerprint'], null],
  ['numeric fingerprint', ['system_fingerprint'], 3],
  ['no choices', ['choices'], DELETE],
  ['choices object', ['choices'], {}],
  ['empty choices', ['choices'], []],
  ['choice null', ['choices'], [null]],
  ['no index', ['choices', 0, 'index'], DELETE],
  ['negative index', ['choices', 0, 'index'], -1],
  ['fractional index', ['choices', 0, 'index'], 0.5],
  ['no message', ['choices', 0, 'message'], DELETE],
  ['null content', ['choices', 0, 'message', 'content'], null],
  ['array content', ['choices', 0, 'message', 'content'], ['a']],
  ['numeric role', ['choices', 0, 'message', 'role'], 1],
  ['null tool calls', ['choices', 0, 'message', 'tool_calls'], null],
  ['tool call without id', ['choices', 0, 'message', 'tool_calls', 0, 'id'], DELETE],
  ['tool call of another type', ['choices', 0, 'message', 'tool_calls', 0, 'type'], 'code'],
  ['tool call without name', ['choices', 0, 'message', 'tool_calls', 0, 'function', 'name'], DELETE],
  ['tool call with null arguments', ['choices', 0, 'message', 'tool_calls', 0, 'function', 'arguments'], null],
  ['tool call with object arguments', ['choices', 0, 'message', 'tool_calls', 0, 'function', 'arguments'], {}],
  ['numeric finish reason', ['choices', 0, 'finish_reason'], 1],
  ['null usage', ['usage'], null],
  ['usage without completion tokens', ['usage', 'completion_tokens'], DELETE],
  ['negative prompt tokens', ['usage', 'prompt_tokens'], -3],
  ['string total tokens', ['usage', 'total_tokens'], '4'],
  ['null details', ['usage', 'prompt_tokens_details'], null],
  ['fractional cached tokens', ['usage', 'prompt_tokens_details', 'cached_tokens'], 0.5],
  ['unknown fields', ['extra'], { a: 1 }],
  ['unknown message field', ['choices', 0, 'message', 'audio'], null],
];

/** Every field path the schema declares (array items as index 0), wrappers (optional, nullable, default) looked through. */
function schemaPaths(schema: z.ZodType, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) return schemaPaths(schema.unwrap() as z.ZodType, prefix);
  if (schema instanceof z.ZodArray) return schemaPaths(schema.element as z.ZodType, [...prefix, 0]);
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
      const path = [...prefix, key];
      return [path, ...schemaPaths(field, path)];
    });
  }
  return [];
}

const has = (path: Array<string | number>): boolean => {
  let node: unknown = valid;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return true;
};

describe('the hot-path response check', () => {
  // A field added to the schema but not to the hand-written check is caught here: every field
  // the schema declares is replaced by values of every JSON type (and removed), and the two
  // must still agree.
  const paths = schemaPaths(openAiChatResponseSchema);
  it('has a sample body that fills every field the schema declares', () => {
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((path) => !has(path)).map((path) => path.join('.'))).toEqual([]);
  });

  it.each(paths.map((path) => [path.join('.'), path] as const))('agrees with the schema on every kind of value at %s', (_name, path) => {
    for (const value of [DELETE, null, 'text', -1, 0.5, 7, true, {}, []]) {
      const body = mutated([...path], value);
      expect(isWellFormedResponse(body), `${path.join('.')} = ${typeof value === 'symbol' ? 'deleted' : JSON.stringify(value)}`).toBe(openAiChatResponseSchema.safeParse(body).success);
    }
  });

  it.each(mutations)('agrees with the schema: %s', (_name, path, value) => {
    const body = mutated(path, value);
    expect(isWellFormedResponse(body)).toBe(openAiChatResponseSchema.safeParse(body).success);
  });

  it('rejects non-objects as the schema does', () => {
    for (const value of [null, 'x', 3, [valid]]) expect(isWellFormedResponse(value)).toBe(false);
  });
});
