import { describe, expect, it } from 'vitest';
import { largestShift, trafficMoved } from './policy-diff';
import type { PolicyDiff } from './types';

const empty: PolicyDiff = { weightChanges: [], modelsAdded: [], modelsRemoved: [], routesAdded: [], routesRemoved: [], categoriesAdded: [], categoriesRemoved: [], maxL1: 0 };

describe('trafficMoved', () => {
  it('is half the L1 distance, so it never reads over 100%', () => {
    expect(trafficMoved(1.946)).toBeCloseTo(0.973);
    expect(trafficMoved(2)).toBe(1);
    expect(trafficMoved(0)).toBe(0);
    expect(trafficMoved(Number.NaN)).toBe(0);
  });
});

describe('largestShift', () => {
  it('names the route/category whose traffic moved most and how much moved', () => {
    const diff: PolicyDiff = {
      ...empty,
      weightChanges: [
        { route: 'auto', category: 'math', model: 'a/x', from: 0.9, to: 0.1 },
        { route: 'auto', category: 'math', model: 'b/y', from: 0.1, to: 0.6 },
        { route: 'fast', category: 'general', model: 'a/x', from: 0.5, to: 0.4 },
        { route: 'fast', category: 'general', model: 'b/y', from: 0.5, to: 0.6 },
      ],
      modelsAdded: [{ route: 'auto', category: 'math', model: 'c/z', weight: 0.3 }],
      maxL1: 1.6,
    };
    expect(largestShift(diff)).toEqual({ route: 'auto', category: 'math', moved: expect.closeTo(0.8, 9) });
  });
  it('leaves out routes and categories that only one version has', () => {
    const diff: PolicyDiff = {
      ...empty,
      routesAdded: ['support'],
      modelsAdded: [
        { route: 'support', category: 'general', model: 'a/x', weight: 1 },
        { route: 'auto', category: 'finance', model: 'a/x', weight: 1 },
      ],
      weightChanges: [
        { route: 'auto', category: 'general', model: 'a/x', from: 0.5, to: 0.45 },
        { route: 'auto', category: 'general', model: 'b/y', from: 0.5, to: 0.55 },
      ],
      maxL1: 1,
    };
    expect(largestShift(diff)).toEqual({ route: 'auto', category: 'general', moved: expect.closeTo(0.05, 9) });
    expect(largestShift({ ...empty, routesAdded: ['support'], modelsAdded: [{ route: 'support', category: 'general', model: 'a/x', weight: 1 }], maxL1: 1 })).toBeNull();
  });
});
