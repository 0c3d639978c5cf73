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

export function notFound(what: string): SwitchyardError {
  return new SwitchyardError('not_found', `${what} not found`);
}
