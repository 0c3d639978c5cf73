/** How the category was decided, in `x-switchyard-reason`: an unsure classifier says so. */
import { describe, expect, it } from 'vitest';
import { ALPHA, BETA, harnessForFile } from './harness';

const harness = harnessForFile();

/** A classifier that cannot tell `math` from `general`: confidence 0.5 on every prompt, top `math` (the first). */
function undecidedClassifier(minConfidence: number) {
  const dimensions = 16;
  return {
    kind: 'naive-bayes' as const,
    dimensions,
    categories: ['math', 'general'],
    logPriors: [Math.log(0.5), Math.log(0.5)],
    logLikelihoods: new Array<number>(2 * dimensions).fill(Math.log(1 / dimensions)),
    minConfidence,
  };
}

async function reasonOf(body: Record<string, unknown>): Promise<{ reason: string; category: string }> {
  const response = await fetch(`${harness.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'What is 17 * 23?' }], ...body }),
  });
  expect(response.status).toBe(200);
  return { reason: response.headers.get('x-switchyard-reason') as string, category: response.headers.get('x-switchyard-category') as string };
}

describe('category in the reason header', { timeout: 30_000 }, () => {
  it('says the classifier was unsure when its top category was below minConfidence', async () => {
    await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 1 }, {}, undecidedClassifier(0.7));
    const unsure = await reasonOf({});
    expect(unsure.category).toBe('general');
    expect(unsure.reason).toMatch(/^weight 0\.50 of 2 eligible; category general \(classifier: math 0\.50 < 0\.70\)$/);

    // A category hint decides alone: nothing about the classifier.
    const hinted = await reasonOf({ switchyard: { category: 'general' } });
    expect(hinted.reason).not.toContain('classifier');
  });

  it('adds nothing about confidence when the classifier was sure', async () => {
    await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 1 }, {}, undecidedClassifier(0.5));
    const sure = await reasonOf({});
    expect(sure.reason).not.toContain('(classifier:');
    expect(sure.reason).toContain('category by classifier');
  });
});
