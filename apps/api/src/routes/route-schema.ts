/**
 * Zod schemas drive both validation (in the handler, so the parsed type flows into code)
 * and the OpenAPI document (converted to JSON Schema for fastify's route `schema`).
 * Fastify's own validator is switched off for these routes: zod is the single source.
 */
import type { FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import { SwitchyardError } from '@switchyard/core';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as JsonSchema;
  delete json.$schema;
  return json;
}

export interface RouteDocs {
  tags: string[];
  summary: string;
  description?: string;
  querystring?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  /** Documented 200 response (not used to serialize). */
  response?: z.ZodType;
  /** Set for endpoints that answer with something other than JSON. */
  produces?: string[];
}

/** Route options documenting the route in OpenAPI; validation happens in the handler with zod. */
export function documented(docs: RouteDocs): RouteShorthandOptions {
  const schema: Record<string, unknown> = { tags: docs.tags, summary: docs.summary };
  if (docs.description) schema.description = docs.description;
  if (docs.querystring) schema.querystring = toJsonSchema(docs.querystring);
  if (docs.params) schema.params = toJsonSchema(docs.params);
  if (docs.body) schema.body = toJsonSchema(docs.body);
  if (docs.produces) schema.produces = docs.produces;
  if (docs.response) schema.response = { 200: { description: 'OK', ...toJsonSchema(docs.response) } };
  return {
    schema,
    validatorCompiler: () => (data: unknown) => ({ value: data }),
    // Responses are plain JSON; the documented response schema must not strip fields.
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
  };
}

/** Options of a route kept out of the OpenAPI document (an alias of a documented one). */
export function undocumented(): RouteShorthandOptions {
  const schema: Record<string, unknown> = { hide: true };
  return { schema };
}

/** Who made a change: the `x-switchyard-actor` header the dashboard sends, else `admin`. */
export function actorOf(request: FastifyRequest): string {
  const header = request.headers['x-switchyard-actor'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return 'admin';
  return value.replace(/[^\w@.\- ]/g, '').slice(0, 64) || 'admin';
}

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The opaque cursor of a keyset page: the key of the last row listed (base64url, so callers do not build one). */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * A `cursor` query parameter, parsed to the key it carries. Anything `encodeCursor` did not make
 * (not base64url, or not UTF-8 text) is a 400 naming `cursor`; whether the key names a row is
 * the repository's to say.
 */
export const cursorParameter = z
  .string()
  .min(1)
  .max(400)
  .transform((cursor, context) => {
    const key = Buffer.from(cursor, 'base64url').toString('utf8');
    if (key.length > 0 && encodeCursor(key) === cursor) return key;
    context.addIssue({ code: 'custom', message: 'is not a cursor this API returned: pass the `nextCursor` of the previous page as it is' });
    return z.NEVER;
  });

/** A page of items with the cursor for the next one. */
export function page<T>(items: T[], limit: number, offset: number, total?: number) {
  const hasMore = total === undefined ? items.length > limit : offset + limit < total;
  return {
    items: items.slice(0, limit),
    limit,
    offset,
    ...(total === undefined ? {} : { total }),
    nextOffset: hasMore ? offset + limit : null,
  };
}

/** Edit distance between two short strings (for "did you mean"). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The accepted field an unknown one was probably meant to be, if any is close. */
function nearestField(unknown: string, accepted: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { field: string; distance: number } | undefined;
  for (const field of accepted) {
    const candidate = field.toLowerCase();
    const distance = lower.startsWith(candidate) || candidate.startsWith(lower) ? Math.abs(lower.length - candidate.length) : editDistance(lower, candidate);
    if (distance <= Math.max(2, Math.floor(field.length / 3)) && (!best || distance < best.distance)) best = { field, distance };
  }
  return best?.field;
}

/**
 * Parse a JSON body with a `z.strictObject` schema (which refuses fields it does not know: a
 * misspelled optional field such as `rateLimitPerMinute` would otherwise be dropped silently and
 * the caller would believe it was set). Unknown fields come first, as a 400 naming them, a
 * near-miss and the accepted fields; any other problem is the schema's own error.
 */
export function parseStrictBody<Schema extends z.ZodObject>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const unrecognized = parsed.error.issues.find((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0);
  if (unrecognized?.code !== 'unrecognized_keys') throw parsed.error;
  const accepted = Object.keys(schema.shape);
  const unknown = unrecognized.keys;
  const first = unknown[0]!;
  const suggestion = nearestField(first, accepted);
  throw new SwitchyardError(
    'bad_request',
    `Unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((key) => `\`${key}\``).join(', ')}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}. Accepted fields: ${accepted.join(', ')}`,
    { param: first },
  );
}

export function notFound(what: string): SwitchyardError {
  return new SwitchyardError('not_found', `${what} not found`);
}
