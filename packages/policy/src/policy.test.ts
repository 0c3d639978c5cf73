import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize, diffPolicies, parsePolicyDocument, policyHash, type PolicyDocument } from './index';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

describe('policy document', () => {
  it('keeps parsing every earlier fixture, preserving unknown fields', () => {
    const policy = parsePolicyDocument(fixture('policy-v1.json'));
    expect(policy.routes.auto?.categories.general?.models.map((entry) => entry.weight)).toEqual([0.8, 0.2]);
    expect((policy.routes.auto as Record<string, unknown>).futureField).toEqual({ kept: true });
    // Defaults are filled in for older documents that lack newer optional members.
    expect(policy.routes.auto?.categories.general?.models[1]?.evidence).toEqual({
      evalSamples: 0,
      liveSamples: 0,
      feedbackSamples: 0,
      probeSamples: 0,
      sources: [],
    });
  });

  it('rejects a document that is not a policy', () => {
    expect(() => parsePolicyDocument({ schemaVersion: 99, routes: {} })).toThrow();
  });

  it('hashes canonically: key order does not matter, content does', () => {
    const a = { b: 1, a: [1, { y: 2, x: 'z' }], c: null };
    const b = { c: null, a: [1, { x: 'z', y: 2 }], b: 1 };
    expect(canonicalize(a)).toBe('{"a":[1,{"x":"z","y":2}],"b":1,"c":null}');
    expect(policyHash(a)).toBe(policyHash(b));
    expect(policyHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(policyHash({ ...a, b: 2 })).not.toBe(policyHash(a));
    expect(() => canonicalize({ x: Number.NaN })).toThrow(/non-finite/);
  });

  it('diffs two versions', () => {
    const before = parsePolicyDocument(fixture('policy-v1.json'));
    const after: PolicyDocument = structuredClone(before);
    const general = after.routes.auto!.categories.general!;
    general.models[0]!.weight = 0.5;
    general.models[1]!.weight = 0.3;
    general.models.push({ ...general.models[1]!, model: 'sim-gemini/flash', weight: 0.2 });
    const diff = diffPolicies(before, after);
    expect(diff.weightChanges.map((change) => [change.model, change.from, change.to])).toEqual([
      ['sim-openai/swift-mini', 0.8, 0.5],
      ['sim-anthropic/sage-pro', 0.2, 0.3],
    ]);
    expect(diff.modelsAdded).toEqual([{ route: 'auto', category: 'general', model: 'sim-gemini/flash', weight: 0.2 }]);
    expect(diff.maxL1).toBeCloseTo(0.6);
    expect(diff).toMatchObject({ categoriesAdded: [], categoriesRemoved: [] });
    const grown = structuredClone(after);
    grown.routes.auto!.categories.legal = structuredClone(general);
    expect(diffPolicies(before, grown)).toMatchObject({ categoriesAdded: ['legal'], categoriesRemoved: [] });
    expect(diffPolicies(grown, before)).toMatchObject({ categoriesAdded: [], categoriesRemoved: ['legal'] });
  });
});
