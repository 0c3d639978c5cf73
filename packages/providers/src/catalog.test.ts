import { describe, expect, it } from 'vitest';
import { loadPriceCatalog, parsePriceCatalog } from './catalog';

describe('price catalog', () => {
  it('ships the genai-prices snapshot with its attribution', () => {
    const catalog = loadPriceCatalog();
    expect(catalog.entries).toHaveLength(66);
    expect(catalog.find('openai', 'gpt-5-mini')).toMatchObject({ name: 'GPT-5 mini', price: { inputPerMTok: 0.25, outputPerMTok: 2, cachedInputPerMTok: 0.025 }, contextWindow: 400000 });
    expect(catalog.find('anthropic', 'claude-haiku-4-5')?.price).toEqual({ inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1 });
    expect(catalog.forProvider('google').length).toBe(10);
  });

  it('is parsed once per process', () => {
    expect(loadPriceCatalog()).toBe(loadPriceCatalog());
  });

  it('rejects malformed catalogs', () => {
    expect(() => parsePriceCatalog([{ provider: 'x', model: 'y', name: 'z', input_usd_per_mtok: -1, output_usd_per_mtok: 1 }])).toThrow();
  });
});
