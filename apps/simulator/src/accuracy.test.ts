/**
 * The simulator's quality model, measured end to end: bundled eval items (up to 100 per
 * category) are sent to every fleet model through the real adapter of the model's wire format, graded the way
 * the dataset README says, and the measured accuracy per (model, category) must lie in the
 * Wilson interval of the configured skill. z = 3.29 (99.9%) because 8 models × 6
 * categories are 48 intervals; the draws are seeded, so the outcome is deterministic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@switchyard/core';
import { createAdapter, simulatorProviders, skillFor, type FleetModel } from '@switchyard/providers';
import { isCorrect } from './answers';
import { loadDatasetDirs, type DatasetItem } from './datasets';
import type { RunningSimulator } from './simulator';
import { modelSettings, providerFor, reliableFleet, startTestSimulator, testDatasetDirs } from './test-support';

const SEED = 7;
const Z = 3.29;

/** Wilson score interval for `successes` of `n` at normal quantile `z`. */
export function wilsonInterval(successes: number, n: number, z: number): [number, number] {
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [centre - half, centre + half];
}

function lastNumber(text: string): number | undefined {
  const answer = text.lastIndexOf('Answer:');
  const scope = answer === -1 ? text : text.slice(answer);
  const numbers = scope.replace(/[,$]/g, '').match(/-?\d+(?:\.\d+)?/g);
  const last = numbers?.[numbers.length - 1];
  return last === undefined ? undefined : Number(last);
}

/** The README's grader semantics, enough to check the simulator's answer forms. */
function grade(item: DatasetItem, response: string): boolean {
  const ideals = Array.isArray(item.ideal) ? item.ideal : [item.ideal];
  switch (item.grader) {
    case 'numeric': {
      const value = lastNumber(response);
      return value !== undefined && ideals.some((ideal) => Number(ideal) === value);
    }
    case 'choice': {
      const match = /(?:Answer:\s*)?\(?\b([A-Z])\b\)?\.?\s*$/.exec(response.trim());
      return match?.[1] !== undefined && ideals.includes(match[1]);
    }
    case 'includes':
      return ideals.some((ideal) => response.includes(ideal));
    default:
      return ideals.some((ideal) => response.trim() === ideal.trim());
  }
}

/** At most this many items per category keep the run short; the intervals stay informative. */
const PER_CATEGORY = 100;
const items = (() => {
  const counts = new Map<string, number>();
  return loadDatasetDirs(testDatasetDirs()).filter((item) => {
    const count = counts.get(item.category) ?? 0;
    counts.set(item.category, count + 1);
    return count < PER_CATEGORY;
  });
})();
const fleet = reliableFleet();
let simulator: RunningSimulator;
const results = new Map<string, { correct: number; total: number; mismatches: number }>();

beforeAll(async () => {
  simulator = await startTestSimulator({ seed: SEED, fleet });
  for (const model of fleet.models) await measure(model);
}, 300_000);
afterAll(() => simulator.close());

async function measure(model: FleetModel): Promise<void> {
  const provider = simulatorProviders[model.format];
  const adapter = createAdapter(providerFor(provider.id, provider.type, `${simulator.url}${provider.path}`));
  const settings = modelSettings(provider.id, model);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as DatasetItem;
      const response = await adapter.chat({ model: model.name, messages: item.input as ChatMessage[] }, { model: settings });
      const ok = grade(item, response.choices[0]?.message.content ?? '');
      const key = `${model.name}|${item.category}`;
      const entry = results.get(key) ?? { correct: 0, total: 0, mismatches: 0 };
      entry.total += 1;
      if (ok) entry.correct += 1;
      if (ok !== isCorrect(model.name, item.id, SEED, skillFor(model, item.category))) entry.mismatches += 1;
      results.set(key, entry);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await adapter.close();
}

describe('simulated quality', () => {
  it('covers the bundled categories', () => {
    expect(items.length).toBeGreaterThan(450);
    expect(new Set(items.map((item) => item.category))).toEqual(new Set(['math', 'code', 'knowledge', 'reasoning', 'finance', 'language']));
  });

  it('answers in the graded form: correct exactly when the skill draw says so', () => {
    for (const [key, entry] of results) expect({ key, mismatches: entry.mismatches }).toEqual({ key, mismatches: 0 });
  });

  it('measured accuracy per model and category lies in the Wilson interval of the configured skill', () => {
    const categories = [...new Set(items.map((item) => item.category))];
    for (const model of fleet.models) {
      for (const category of categories) {
        const entry = results.get(`${model.name}|${category}`);
        expect(entry).toBeDefined();
        if (!entry) continue;
        const [low, high] = wilsonInterval(entry.correct, entry.total, Z);
        const skill = skillFor(model, category);
        expect({ model: model.name, category, skill, inside: skill >= low && skill <= high }).toEqual({
          model: model.name,
          category,
          skill,
          inside: true,
        });
      }
    }
  });

  it('the Wilson interval rejects a wrong skill (the test can fail)', () => {
    const entry = results.get('numeric-7b|math');
    expect(entry).toBeDefined();
    if (!entry) return;
    const [low, high] = wilsonInterval(entry.correct, entry.total, Z);
    expect(0.3 >= low && 0.3 <= high).toBe(false);
  });
});
