/**
 * The bundled price catalog (`../catalog/catalog.json`, from pydantic/genai-prices, MIT —
 * see `../catalog/README.md`). Config `models[].price` overrides it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Price } from '@switchyard/core';

const catalogEntrySchema = z.looseObject({
  provider: z.string(),
  model: z.string(),
  name: z.string(),
  input_usd_per_mtok: z.number().nonnegative(),
  output_usd_per_mtok: z.number().nonnegative(),
  cache_read_usd_per_mtok: z.number().nonnegative().optional(),
  context_window: z.number().int().positive().optional(),
  notes: z.string().optional(),
});

export interface PriceCatalogEntry {
  /** genai-prices vendor id: openai, anthropic, google, mistral, deepseek, x-ai, together, groq, … */
  provider: string;
  model: string;
  name: string;
  price: Price;
  contextWindow?: number;
  notes?: string;
}

export class PriceCatalog {
  private readonly index = new Map<string, PriceCatalogEntry>();

  constructor(readonly entries: readonly PriceCatalogEntry[]) {
    for (const entry of entries) this.index.set(`${entry.provider}\u0000${entry.model}`, entry);
  }

  find(provider: string, model: string): PriceCatalogEntry | undefined {
    return this.index.get(`${provider}\u0000${model}`);
  }

  forProvider(provider: string): PriceCatalogEntry[] {
    return this.entries.filter((entry) => entry.provider === provider);
  }
}

export const DEFAULT_CATALOG_PATH = new URL('../catalog/catalog.json', import.meta.url);

export function parsePriceCatalog(json: unknown): PriceCatalog {
  const entries = z.array(catalogEntrySchema).parse(json).map((entry): PriceCatalogEntry => ({
    provider: entry.provider,
    model: entry.model,
    name: entry.name,
    price: {
      inputPerMTok: entry.input_usd_per_mtok,
      outputPerMTok: entry.output_usd_per_mtok,
      ...(entry.cache_read_usd_per_mtok === undefined ? {} : { cachedInputPerMTok: entry.cache_read_usd_per_mtok }),
    },
    ...(entry.context_window === undefined ? {} : { contextWindow: entry.context_window }),
    ...(entry.notes === undefined ? {} : { notes: entry.notes }),
  }));
  return new PriceCatalog(entries);
}

let bundled: PriceCatalog | undefined;

/** The catalog at `path`, or the bundled one (parsed once per process). */
export function loadPriceCatalog(path?: string | URL): PriceCatalog {
  if (path === undefined && bundled) return bundled;
  const catalog = parsePriceCatalog(JSON.parse(readFileSync(path ?? DEFAULT_CATALOG_PATH, 'utf8')) as unknown);
  if (path === undefined) bundled = catalog;
  return catalog;
}
