import { z } from 'zod';

/**
 * A model id is `provider/model`: the provider instance id from config, a slash, and the
 * model name the vendor's API takes (which may itself contain slashes, e.g.
 * `together/meta-llama/Llama-3.3-70B-Instruct-Turbo`).
 */
export const modelIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*\/\S+$/, 'must look like "provider/model"');
export type ModelId = z.infer<typeof modelIdSchema>;

export function parseModelId(id: string): { provider: string; model: string } {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) {
    throw new TypeError(`"${id}" is not a model id of the form "provider/model"`);
  }
  return { provider: id.slice(0, slash), model: id.slice(slash + 1) };
}

export function formatModelId(provider: string, model: string): ModelId {
  return `${provider}/${model}`;
}

/** Prices are USD per 1M tokens, the unit every vendor publishes. */
export const priceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof priceSchema>;

/** Cost in USD of one call; cached prompt tokens are billed at the cached price when known. */
export function costUsd(
  price: Price,
  usage: { promptTokens: number; completionTokens: number; cachedTokens?: number | undefined },
): number {
  const cached = Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
  const cachedPrice = price.cachedInputPerMTok ?? price.inputPerMTok;
  const micros = (usage.promptTokens - cached) * price.inputPerMTok + cached * cachedPrice + usage.completionTokens * price.outputPerMTok;
  // Rounded to a millionth of a micro-dollar: binary floating point would otherwise answer
  // clients 0.000034399999999999996 for 43 tokens at $0.80/M.
  return Math.round(micros * 1_000_000) / 1_000_000_000_000;
}

/** Blended price at 3:1 input:output, the usual single number for a model's price. */
export function blendedPricePerMTok(price: Price): number {
  return (3 * price.inputPerMTok + price.outputPerMTok) / 4;
}

/**
 * Task categories. Routing weights are learned per (route, category). The bundled eval
 * sets use the first seven; `general` is the fallback when nothing better is known.
 */
export const builtInCategories = [
  'general',
  'math',
  'code',
  'knowledge',
  'reasoning',
  'finance',
  'language',
  'writing',
] as const;
export const categorySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'categories are lower-case words like "math" or "code"');
export type Category = z.infer<typeof categorySchema>;

/**
 * A category as people write it ("Math Stuff", "MATH", " Café_Menu ") as a category name
 * ("math-stuff", "math", "cafe_menu"): trimmed, lower-cased, accents dropped, and every run of
 * spaces or other separators made one `-` (leading and trailing ones dropped). Undefined when
 * what is left is not a valid name (empty, only punctuation or non-Latin script, over 64 characters).
 */
export function normalizeCategoryName(raw: string): Category | undefined {
  const name = raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return categorySchema.safeParse(name).success ? name : undefined;
}
export const DEFAULT_CATEGORY: Category = 'general';

export const capabilitiesSchema = z.object({
  tools: z.boolean().default(true),
  json: z.boolean().default(true),
  vision: z.boolean().default(false),
  streaming: z.boolean().default(true),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;
