import { describe, expect, it } from 'vitest';
import { defaultEvalModels } from './eval-models';
import type { LeaderboardRow, ModelItem } from './types';

const model = (id: string, blendedPricePerMTok: number, enabled = true) => ({ id, enabled, blendedPricePerMTok }) as ModelItem;
const evidence = (id: string, n: number) => ({ model: id, quality: { n, mean: n > 0 ? 0.5 : null, interval: null } }) as LeaderboardRow;
const models = [
  model('anthropic/titan', 24),
  model('anthropic/sage', 6),
  model('anthropic/coder', 3.5),
  model('gemini/flash', 0.2625),
  model('openai/mini', 0.135),
  model('openai/off', 0.01, false),
];

describe('defaultEvalModels', () => {
  it('never starts with the priciest models: the cheapest few without quality evidence', () => {
    const preset = defaultEvalModels(models, []);
    expect(preset.models).toEqual(['openai/mini', 'gemini/flash', 'anthropic/coder']);
    expect(preset.reason).toMatch(/3 cheapest of the 5 models with no quality evidence/);
  });
  it('only models that still lack evidence, and none when every enabled model has some', () => {
    const rows = ['anthropic/titan', 'anthropic/coder', 'gemini/flash', 'openai/mini'].map((id) => evidence(id, 50));
    expect(defaultEvalModels(models, [...rows, evidence('anthropic/sage', 0)])).toMatchObject({ models: ['anthropic/sage'], reason: expect.stringMatching(/the model with no quality evidence/) });
    expect(defaultEvalModels(models, [...rows, evidence('anthropic/sage', 20)])).toEqual({ models: [], reason: expect.stringMatching(/Nothing preselected/) });
  });
});
