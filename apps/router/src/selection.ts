/**
 * Selection among the models of one (route, category): drop the models a hint, the API key
 * or the request's content excludes, then draw by weight with the request's deterministic
 * draw. The remaining eligible models, in the policy's fallback order, form the fallback
 * chain. When nothing is left, the 400 says which constraint excluded which model.
 */
import { SwitchyardError } from '@switchyard/core';
import type { ContentNeeds } from './request-validation';
import type { RoutingHints } from './routing-hints';
import type { CategoryTable, ModelEntry } from './routing-table';

export interface SelectionInput {
  table: CategoryTable;
  routeLabel: string;
  hints: RoutingHints;
  needs: ContentNeeds;
  stream: boolean;
  /** Model ids the API key may use; undefined = any. */
  allowedModels: ReadonlySet<string> | undefined;
  /** Per-request weights (contextual policy) replacing the table's, same order. */
  weights?: readonly number[] | undefined;
  /** Uniform [0, 1) from the request id. */
  draw: number;
  /** Is the model's circuit open (skip it unless nothing else is left)? */
  isOpen(modelId: string): boolean;
  /** Estimated USD cost of this request on a model; only called with a `max_cost_usd` hint. */
  estimateCostUsd?(entry: ModelEntry): number;
  /**
   * Context: a cheap upper bound on the tokens the request needs (body bytes plus its
   * `max_tokens`), and the tokenizer's estimate of them, computed only for a model whose
   * window is under the bound — so the common request never runs the tokenizer.
   */
  context?: { bound: number; tokens(): number; outputTokens: number } | undefined;
}

export interface Selection {
  /** Drawn model first, then the fallbacks. */
  chain: ModelEntry[];
  /** Renormalized weight of the drawn model among the eligible ones. */
  weight: number;
  eligible: number;
  /** How many eligible models were skipped because their circuit is open. */
  skippedOpen: number;
  /**
   * What the draw was among, for the decision record: the eligible models (less those skipped
   * for an open circuit) with their weights renormalized among them, so the drawn model's is
   * `weight`. The table's shared list when nothing was excluded and the weights are the
   * policy's (the common request allocates nothing).
   */
  candidates: ReadonlyArray<{ model: string; weight: number }>;
}

type Exclusion =
  | 'only'
  | 'exclude'
  | 'api key'
  | 'content'
  | 'tools'
  | 'streaming'
  | 'max_cost_per_mtok'
  | 'max_cost_usd'
  | 'max_ttft_ms'
  | 'min_quality'
  | 'context_length'
  | 'max_tokens'
  | 'n'
  | 'response_format';

/** The request parameter to blame when one kind of exclusion ruled out every model (hints otherwise). */
const PARAM_OF: Partial<Record<Exclusion, string>> = {
  content: 'messages',
  context_length: 'messages',
  tools: 'tools',
  streaming: 'stream',
  max_tokens: 'max_tokens',
  n: 'n',
  response_format: 'response_format',
};

function exclusionOf(input: SelectionInput, index: number): { reason: Exclusion; detail?: string } | undefined {
  const entry = input.table.entries[index] as ModelEntry;
  const { hints, needs } = input;
  if (hints.only && !hints.only.includes(entry.id)) return { reason: 'only' };
  if (hints.exclude && hints.exclude.includes(entry.id)) return { reason: 'exclude' };
  if (input.allowedModels && !input.allowedModels.has(entry.id)) return { reason: 'api key' };
  if (needs.vision && !entry.capabilities.vision) return { reason: 'content', detail: 'no image input' };
  if ((needs.audio || needs.file) && !(entry.capabilities as Record<string, boolean>)[needs.audio ? 'audio' : 'files']) {
    return { reason: 'content', detail: needs.audio ? 'no audio input' : 'no file input' };
  }
  if (needs.tools && !entry.capabilities.tools) return { reason: 'tools' };
  if (input.stream && !entry.capabilities.streaming) return { reason: 'streaming' };
  const maxChoices = entry.binding.adapter.maxChoices;
  if (needs.choices > maxChoices) return { reason: 'n', detail: maxChoices === 1 ? 'one choice per call' : `at most ${maxChoices} per call` };
  if (needs.json && !entry.capabilities.json) return { reason: 'response_format' };
  const context = input.context;
  if (context && entry.maxOutputTokens !== undefined && context.outputTokens > entry.maxOutputTokens) {
    return { reason: 'max_tokens', detail: `at most ${entry.maxOutputTokens.toLocaleString('en-US')} output tokens` };
  }
  const window = entry.contextWindow;
  if (context && window !== undefined && context.bound > window && context.tokens() > window) {
    return { reason: 'context_length', detail: `context window ${window.toLocaleString('en-US')} tokens` };
  }
  if (hints.maxCostPerMTok !== undefined && entry.blendedPrice > hints.maxCostPerMTok) {
    return { reason: 'max_cost_per_mtok', detail: `$${round(entry.blendedPrice)}/MTok` };
  }
  if (hints.maxCostUsd !== undefined && input.estimateCostUsd) {
    const cost = input.estimateCostUsd(entry);
    if (cost > hints.maxCostUsd) return { reason: 'max_cost_usd', detail: `est. $${round(cost)}` };
  }
  const expected = input.table.expected[index];
  if (hints.maxTtftMs !== undefined && expected?.ttftP50Ms != null && expected.ttftP50Ms > hints.maxTtftMs) {
    return { reason: 'max_ttft_ms', detail: `p50 ${Math.round(expected.ttftP50Ms)} ms` };
  }
  if (hints.minQuality !== undefined && expected !== undefined && expected.quality < hints.minQuality) {
    return { reason: 'min_quality', detail: `expected ${round(expected.quality)}` };
  }
  return undefined;
}

function round(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function hintValue(input: SelectionInput, reason: Exclusion): string {
  const hints = input.hints;
  switch (reason) {
    case 'only':
      return `only [${hints.only?.join(', ')}]`;
    case 'exclude':
      return `exclude [${hints.exclude?.join(', ')}]`;
    case 'api key':
      return "the API key's model list";
    case 'content':
      return 'the content parts of the messages';
    case 'tools':
      return '`tools` (no tool support)';
    case 'streaming':
      return '`stream` (no streaming support)';
    case 'max_cost_per_mtok':
      return `max_cost_per_mtok ${hints.maxCostPerMTok}`;
    case 'max_cost_usd':
      return `max_cost_usd ${hints.maxCostUsd}`;
    case 'max_ttft_ms':
      return `max_ttft_ms ${hints.maxTtftMs}`;
    case 'min_quality':
      return `min_quality ${hints.minQuality}`;
    case 'response_format':
      return '`response_format` (no JSON mode)';
    case 'n':
      return `\`n\` ${input.needs.choices}`;
    case 'max_tokens':
      return `max_tokens ${input.context?.outputTokens.toLocaleString('en-US')}`;
    case 'context_length': {
      const context = input.context;
      const output = context && context.outputTokens > 0 ? ` + max_tokens ${context.outputTokens.toLocaleString('en-US')}` : '';
      return `the request's length (~${(context ? context.tokens() - context.outputTokens : 0).toLocaleString('en-US')} prompt tokens${output})`;
    }
  }
}

function noEligibleModel(input: SelectionInput): SwitchyardError {
  const groups = new Map<Exclusion, string[]>();
  for (let index = 0; index < input.table.entries.length; index += 1) {
    const exclusion = exclusionOf(input, index);
    if (!exclusion) continue;
    const id = (input.table.entries[index] as ModelEntry).id;
    const list = groups.get(exclusion.reason) ?? [];
    list.push(exclusion.detail ? `${id} (${exclusion.detail})` : id);
    groups.set(exclusion.reason, list);
  }
  const parts = [...groups].map(([reason, models]) => `${hintValue(input, reason)} excluded ${models.join(', ')}`);
  // A model `only` names that is not here at all (unknown, disabled, or not a candidate of the route).
  const absent = input.hints.only?.filter((id) => !input.table.entries.some((entry) => entry.id === id)) ?? [];
  if (absent.length > 0) parts.push(`only names ${absent.join(', ')}, which ${absent.length === 1 ? 'is' : 'are'} not among them (unknown, disabled or not a candidate)`);
  const only = groups.size === 1 ? [...groups.keys()][0] : undefined;
  const param = (only && PARAM_OF[only]) ?? 'switchyard';
  const category = input.table.category ? ` (category "${input.table.category}")` : '';
  return new SwitchyardError('no_eligible_model', `No model of ${input.routeLabel}${category} can take this request: ${parts.join('; ')}`, { param, retryable: false });
}

/** Pick the model and its fallback chain. Throws `no_eligible_model` (400) when nothing fits. */
export function selectModels(input: SelectionInput): Selection {
  const entries = input.table.entries;
  const weights = input.weights ?? input.table.weights;
  const eligible: number[] = [];
  for (let index = 0; index < entries.length; index += 1) if (!exclusionOf(input, index)) eligible.push(index);
  if (eligible.length === 0) throw noEligibleModel(input);
  // Skip models whose circuit is open, unless that leaves nothing to try.
  let usable = eligible;
  let skippedOpen = 0;
  for (const index of eligible) if (input.isOpen((entries[index] as ModelEntry).id)) skippedOpen += 1;
  if (skippedOpen > 0 && skippedOpen < eligible.length) usable = eligible.filter((index) => !input.isOpen((entries[index] as ModelEntry).id));
  else skippedOpen = 0;

  let total = 0;
  for (const index of usable) total += weights[index] as number;
  let picked = usable[0] as number;
  let weight: number;
  if (total > 0) {
    let target = input.draw * total;
    for (const index of usable) {
      const candidate = weights[index] as number;
      if (candidate <= 0) continue;
      picked = index;
      if (target < candidate) break;
      target -= candidate;
    }
    weight = (weights[picked] as number) / total;
  } else {
    picked = usable[Math.min(usable.length - 1, Math.floor(input.draw * usable.length))] as number;
    weight = 1 / usable.length;
  }
  const chain: ModelEntry[] = [entries[picked] as ModelEntry];
  if (input.hints.fallback) for (const index of usable) if (index !== picked) chain.push(entries[index] as ModelEntry);
  let candidates = input.table.candidates;
  if (usable.length < entries.length || input.weights) {
    const own: Array<{ model: string; weight: number }> = [];
    for (const index of usable) {
      own.push({ model: (entries[index] as ModelEntry).id, weight: total > 0 ? (weights[index] as number) / total : 1 / usable.length });
    }
    candidates = own;
  }
  return { chain, weight, eligible: usable.length, skippedOpen, candidates };
}

/**
 * A selection weight for the `x-switchyard-reason` header: two decimals, except that a weight
 * under 0.01 (a model drawn through its exploration floor) keeps one significant digit, so it
 * reads 0.002 rather than a misleading 0.00.
 */
export function formatWeight(weight: number): string {
  return weight >= 0.01 || weight <= 0 ? weight.toFixed(2) : weight.toPrecision(1);
}
