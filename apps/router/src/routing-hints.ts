/**
 * Per-request routing hints: the `switchyard` object of the body or `x-switchyard-*` headers
 * (the body wins when both set one). Hints only narrow what the route allows.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { normalizeCategoryName, SwitchyardError } from '@switchyard/core';

export interface RoutingHints {
  category?: string;
  maxCostPerMTok?: number;
  maxCostUsd?: number;
  maxTtftMs?: number;
  minQuality?: number;
  only?: string[];
  exclude?: string[];
  /** `false`: try only the drawn model. */
  fallback: boolean;
}

/** The keys of the `switchyard` body object. */
const hintKeys = new Set(['category', 'max_cost_per_mtok', 'max_cost_usd', 'max_ttft_ms', 'min_quality', 'only', 'exclude', 'fallback']);

const headerNames = [
  'x-switchyard-category',
  'x-switchyard-max-cost-per-mtok',
  'x-switchyard-max-cost-usd',
  'x-switchyard-max-ttft-ms',
  'x-switchyard-min-quality',
  'x-switchyard-only',
  'x-switchyard-exclude',
  'x-switchyard-fallback',
] as const;

function bad(param: string, message: string): SwitchyardError {
  return new SwitchyardError('bad_request', message, { param, retryable: false });
}

function positiveNumber(value: unknown, param: string, max = Number.POSITIVE_INFINITY): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > max) {
    throw bad(param, `\`${param}\` must be a number${max === 1 ? ' in [0, 1]' : ' ≥ 0'}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function modelList(value: unknown, param: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw bad(param, `\`${param}\` must be a list of model ids`);
  }
  return list as string[];
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True when the request carries any routing hint (the common case is none: skip the parse). */
export function hasHints(body: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): boolean {
  if (body !== undefined) return true;
  for (const name of headerNames) if (headers[name] !== undefined) return true;
  return false;
}

export const noHints: Readonly<RoutingHints> = Object.freeze({ fallback: true });

/** Parse hints; throws a 400 naming the bad hint as the client sent it (body field or header). */
export function parseHints(body: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): RoutingHints {
  const source = body ?? {};
  // The value of one hint and the name to blame for it: `switchyard.<key>`, or the header.
  let param = '';
  const pick = (key: string, headerName: string): unknown => {
    const value = source[key];
    if (value !== undefined) {
      param = `switchyard.${key}`;
      return value;
    }
    param = headerName;
    return header(headers, headerName);
  };
  for (const key of Object.keys(source)) {
    if (!hintKeys.has(key)) throw bad(`switchyard.${key}`, `Unknown routing hint \`switchyard.${key}\`. Hints: ${[...hintKeys].join(', ')}`);
  }
  const hints: RoutingHints = { fallback: true };
  const category = pick('category', 'x-switchyard-category');
  if (category !== undefined) {
    // Named as datasets name them: "Math" is `math`, "Math Stuff" is `math-stuff`.
    const name = typeof category === 'string' ? normalizeCategoryName(category) : undefined;
    if (name === undefined) throw bad(param, `\`${param}\` must be a category name like "math"`);
    hints.category = name;
  }
  const maxCostPerMTok = positiveNumber(pick('max_cost_per_mtok', 'x-switchyard-max-cost-per-mtok'), param);
  if (maxCostPerMTok !== undefined) hints.maxCostPerMTok = maxCostPerMTok;
  const maxCostUsd = positiveNumber(pick('max_cost_usd', 'x-switchyard-max-cost-usd'), param);
  if (maxCostUsd !== undefined) hints.maxCostUsd = maxCostUsd;
  const maxTtftMs = positiveNumber(pick('max_ttft_ms', 'x-switchyard-max-ttft-ms'), param);
  if (maxTtftMs !== undefined) hints.maxTtftMs = maxTtftMs;
  const minQuality = positiveNumber(pick('min_quality', 'x-switchyard-min-quality'), param, 1);
  if (minQuality !== undefined) hints.minQuality = minQuality;
  const only = modelList(pick('only', 'x-switchyard-only'), param);
  if (only !== undefined) hints.only = only;
  const exclude = modelList(pick('exclude', 'x-switchyard-exclude'), param);
  if (exclude !== undefined) hints.exclude = exclude;
  const fallback = pick('fallback', 'x-switchyard-fallback');
  if (fallback !== undefined) {
    if (fallback === false || fallback === 'false' || fallback === '0') hints.fallback = false;
    else if (fallback !== true && fallback !== 'true' && fallback !== '1') throw bad(param, `\`${param}\` must be a boolean`);
  }
  return hints;
}
