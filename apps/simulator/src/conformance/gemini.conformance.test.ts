import { afterAll, beforeAll } from 'vitest';
import { createAdapter } from '@switchyard/providers';
import { runAdapterConformance } from '@switchyard/providers/testing';
import type { RunningSimulator } from '../simulator';
import { modelSettings, providerFor, reliableFleet, startTestSimulator } from '../test-support';

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(() => simulator.close());

const model = reliableFleet().models.find((entry) => entry.name === 'polyglot-pro');
if (!model) throw new Error('fleet lacks polyglot-pro');

runAdapterConformance({
  name: 'gemini',
  createAdapter: (overrides) => createAdapter(providerFor('gemini', 'gemini', `${simulator.url}/gemini`, overrides)),
  model: modelSettings('gemini', model),
  capabilities: { maxChoices: 8 },
});
