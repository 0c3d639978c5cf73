import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '@switchyard/core';
import type { ModelBinding } from '@switchyard/providers';
import { drawFromRequestId } from './deterministic-draw';
import type { ContentNeeds } from './request-validation';
import { noHints, type RoutingHints } from './routing-hints';
import type { CategoryTable, ModelEntry } from './routing-table';
import { formatWeight, selectModels, type SelectionInput } from './selection';

function entry(id: string, price: number, capabilities: Partial<ModelEntry['capabilities']> = {}, maxChoices = 128): ModelEntry {
  const binding = { adapter: { maxChoices } as ProviderAdapter, settings: { id, upstreamName: id, price: { inputPerMTok: price, outputPerMTok: price } } } as ModelBinding;
  return { id, binding, blendedPrice: price, capabilities: { tools: true, json: true, vision: false, streaming: true, ...capabilities } };
}

const table: CategoryTable = {
  category: 'general',
  entries: [entry('a/big', 10, { vision: true }), entry('b/mid', 2, {}, 1), entry('c/small', 0.2, { json: false })],
  weights: [0.6, 0.3, 0.1],
  expected: [
    { quality: 0.9, costPerRequestUsd: 0.01, ttftP50Ms: 900, ttftP95Ms: null, latencyP50Ms: null, latencyP95Ms: null },
    { quality: 0.7, costPerRequestUsd: 0.002, ttftP50Ms: 300, ttftP95Ms: null, latencyP50Ms: null, latencyP95Ms: null },
    { quality: 0.4, costPerRequestUsd: 0.0002, ttftP50Ms: 100, ttftP95Ms: null, latencyP50Ms: null, latencyP95Ms: null },
  ],
  candidates: [],
  limits: { contextWindow: Infinity, maxOutputTokens: Infinity },
};

const noNeeds: ContentNeeds = { vision: false, audio: false, file: false, tools: false, choices: 1, json: false };

function input(overrides: Partial<SelectionInput> & { hints?: RoutingHints } = {}): SelectionInput {
  return { table, routeLabel: '"auto"', hints: noHints, needs: noNeeds, stream: false, allowedModels: undefined, draw: 0.5, isOpen: () => false, ...overrides };
}

describe('drawFromRequestId', () => {
  it('is deterministic and roughly uniform', () => {
    expect(drawFromRequestId('req-1')).toBe(drawFromRequestId('req-1'));
    expect(drawFromRequestId('req-1')).not.toBe(drawFromRequestId('req-2'));
    const buckets = [0, 0, 0, 0];
    for (let index = 0; index < 4000; index += 1) buckets[Math.floor(drawFromRequestId(`id-${index}`) * 4)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });
});

describe('selectModels', () => {
  it('draws by weight and orders the rest as fallbacks', () => {
    expect(selectModels(input({ draw: 0.1 })).chain.map((model) => model.id)).toEqual(['a/big', 'b/mid', 'c/small']);
    expect(selectModels(input({ draw: 0.7 })).chain.map((model) => model.id)).toEqual(['b/mid', 'a/big', 'c/small']);
    const last = selectModels(input({ draw: 0.95 }));
    expect(last.chain[0]?.id).toBe('c/small');
    expect(last.weight).toBeCloseTo(0.1);
    expect(last.eligible).toBe(3);
  });

  it("lists what the draw was among: the table's own list when nothing is excluded, else the eligible renormalized", () => {
    expect(selectModels(input()).candidates).toBe(table.candidates);
    const open = selectModels(input({ isOpen: (id) => id === 'a/big' }));
    expect(open.candidates.map((candidate) => candidate.model)).toEqual(['b/mid', 'c/small']);
    expect(open.candidates[0]?.weight).toBeCloseTo(0.75);
    expect(open.candidates[1]?.weight).toBeCloseTo(0.25);
    expect(selectModels(input({ weights: [0.2, 0.2, 0.6] })).candidates.map((candidate) => candidate.weight)).toEqual([0.2, 0.2, 0.6]);
  });

  it('matches the weights over many request ids', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 5000; index += 1) {
      const id = selectModels(input({ draw: drawFromRequestId(`r${index}`) })).chain[0]!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect((counts.get('a/big') ?? 0) / 5000).toBeCloseTo(0.6, 1);
    expect((counts.get('c/small') ?? 0) / 5000).toBeCloseTo(0.1, 1);
  });

  it('applies hints and renormalizes', () => {
    const cheap = selectModels(input({ hints: { fallback: true, maxCostPerMTok: 5 }, draw: 0.1 }));
    expect(cheap.chain.map((model) => model.id)).toEqual(['b/mid', 'c/small']);
    expect(cheap.weight).toBeCloseTo(0.75);
    expect(selectModels(input({ hints: { fallback: false }, draw: 0.1 })).chain).toHaveLength(1);
    expect(selectModels(input({ hints: { fallback: true, only: ['c/small'] } })).chain.map((model) => model.id)).toEqual(['c/small']);
    expect(selectModels(input({ hints: { fallback: true, minQuality: 0.8 } })).chain.map((model) => model.id)).toEqual(['a/big']);
    expect(selectModels(input({ hints: { fallback: true, maxTtftMs: 200 } })).chain.map((model) => model.id)).toEqual(['c/small']);
    expect(selectModels(input({ needs: { ...noNeeds, vision: true } })).chain.map((model) => model.id)).toEqual(['a/big']);
  });

  it('explains which constraint excluded which model', () => {
    expect(() => selectModels(input({ hints: { fallback: true, maxCostPerMTok: 1, minQuality: 0.5 } }))).toThrow(
      /max_cost_per_mtok 1 excluded a\/big \(\$10\/MTok\), b\/mid \(\$2\/MTok\); min_quality 0.5 excluded c\/small \(expected 0.4\)/,
    );
    try {
      selectModels(input({ needs: { ...noNeeds, audio: true } }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'no_eligible_model', status: 400, param: 'messages' });
    }
  });

  it('keeps `n` > 1 away from models whose API returns one choice per call', () => {
    const many = { ...noNeeds, choices: 3 };
    expect(selectModels(input({ needs: many, draw: 0.7 })).chain.map((model) => model.id)).toEqual(['a/big', 'c/small']);
    expect(selectModels(input({ needs: { ...noNeeds, choices: 1 }, draw: 0.7 })).chain[0]?.id).toBe('b/mid');
    try {
      const onlyMid: CategoryTable = { ...table, entries: [table.entries[1]!], weights: [1], expected: [table.expected[1]!] };
      selectModels(input({ needs: many, table: onlyMid }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'no_eligible_model', status: 400, param: 'n' });
      expect((error as Error).message).toContain('`n` 3 excluded b/mid (one choice per call)');
    }
    const gemini: CategoryTable = { ...table, entries: [entry('g/gem', 1, {}, 8)], weights: [1], expected: [table.expected[0]!] };
    expect(selectModels(input({ needs: { ...noNeeds, choices: 8 }, table: gemini })).chain[0]?.id).toBe('g/gem');
    expect(() => selectModels(input({ needs: { ...noNeeds, choices: 9 }, table: gemini }))).toThrow('`n` 9 excluded g/gem (at most 8 per call)');
  });

  it('keeps JSON mode away from models without it', () => {
    const json = { ...noNeeds, json: true };
    expect(selectModels(input({ needs: json, draw: 0.1 })).chain.map((model) => model.id)).toEqual(['a/big', 'b/mid']);
    expect(selectModels(input({ draw: 0.95 })).chain[0]?.id).toBe('c/small');
    try {
      selectModels(input({ needs: json, hints: { fallback: true, only: ['c/small'] } }));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('`response_format` (no JSON mode) excluded c/small');
    }
  });

  it('skips open circuits unless nothing else is left', () => {
    const skipped = selectModels(input({ draw: 0.1, isOpen: (id) => id === 'a/big' }));
    expect(skipped.chain.map((model) => model.id)).toEqual(['b/mid', 'c/small']);
    expect(skipped.skippedOpen).toBe(1);
    expect(selectModels(input({ draw: 0.1, isOpen: () => true })).chain).toHaveLength(3);
  });
});

describe('formatWeight', () => {
  it('shows two decimals, and one significant digit for a weight drawn through the exploration floor', () => {
    expect(formatWeight(0.6234)).toBe('0.62');
    expect(formatWeight(1)).toBe('1.00');
    expect(formatWeight(0.0023)).toBe('0.002');
    expect(formatWeight(0.00004)).toBe('0.00004');
    expect(formatWeight(0)).toBe('0.00');
  });
});
