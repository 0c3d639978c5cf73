import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '@switchyard/policy';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_CONFIDENCE, fitTemperature, heldOutLogLoss, trainClassifier, type LabelledText } from './classifier-training';

const datasets = join(import.meta.dirname, '../../../datasets');

function bundledItems(): LabelledText[] {
  const items: LabelledText[] = [];
  for (const file of readdirSync(datasets).filter((name) => name.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(datasets, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as { input: Array<{ content: string }>; category: string };
      items.push({ text: item.input.map((message) => message.content).join('\n'), category: item.category });
    }
  }
  return items;
}

describe('category classifier', () => {
  it('classifies the bundled eval sets by category with high held-out accuracy', { timeout: 60_000 }, () => {
    const items = bundledItems();
    expect(new Set(items.map((item) => item.category)).size).toBeGreaterThanOrEqual(5);
    const result = trainClassifier(items, { seed: 1 });
    expect(result.heldOut).toBeGreaterThan(100);
    expect(result.heldOutAccuracy).toBeGreaterThan(0.95);
    expect(result.classifier.heldOutAccuracy).toBeCloseTo(result.heldOutAccuracy!, 3);
    expect(result.classifier.trainedOn).toBe(items.length);
    for (const entry of Object.values(result.perCategory)) expect(entry.correct / entry.heldOut).toBeGreaterThan(0.6);
    // The router's classify() on unseen prompts.
    expect(classify(result.classifier, 'Tom has 3 apples and buys 5 more boxes of 12 apples each. How many apples does he have?').category).toBe('math');
    expect(classify(result.classifier, 'def f(x):\n    return x[::-1]\nassert f("abc") == ??').category).toBe('code');
    // Calibrated: cross-validation finds the raw posteriors overconfident, and prompts unlike
    // every training item fall below minConfidence (the router then uses `general`) instead of
    // landing confidently in some category.
    expect(result.classifier.temperature).toBeGreaterThan(1);
    expect(result.classifier.minConfidence).toBe(DEFAULT_MIN_CONFIDENCE);
    const inDomain = classify(result.classifier, 'Tom has 3 apples and buys 5 more boxes of 12 apples each. How many apples does he have?');
    expect(inDomain.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
    for (const prompt of ['Summarize this paragraph in one sentence: the meeting moved to Tuesday because the CFO was travelling.', 'Write a cover letter for a barista job.']) {
      const raw = classify({ ...result.classifier, temperature: 1 }, prompt);
      const calibrated = classify(result.classifier, prompt);
      expect(raw.confidence, prompt).toBeGreaterThan(0.95);
      expect(calibrated.confidence, prompt).toBeLessThan(DEFAULT_MIN_CONFIDENCE);
    }
  });

  it('fits the temperature that minimizes the held-out log loss', () => {
    // Two confident mistakes among confident hits: a raw posterior pays dearly for them.
    const scored = [
      ...Array.from({ length: 20 }, () => ({ scores: [0, -30], truth: 0 })),
      { scores: [0, -30], truth: 1 },
      { scores: [-30, 0], truth: 0 },
    ];
    const temperature = fitTemperature(scored);
    expect(temperature).toBeGreaterThan(3);
    expect(heldOutLogLoss(scored, temperature)).toBeLessThan(heldOutLogLoss(scored, 1));
    // No mistakes: nothing to soften.
    expect(fitTemperature([{ scores: [0, -30], truth: 0 }])).toBe(1);
    expect(heldOutLogLoss([{ scores: [0, 0], truth: 1 }], 1)).toBeCloseTo(Math.log(2), 12);
  });

  it('is deterministic for a seed and needs items', () => {
    const items = bundledItems().slice(0, 300);
    expect(trainClassifier(items, { seed: 2 }).heldOutAccuracy).toBe(trainClassifier(items, { seed: 2 }).heldOutAccuracy);
    expect(() => trainClassifier([])).toThrow(RangeError);
  });
});
