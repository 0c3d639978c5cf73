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

const model = reliableFleet().models.find((entry) => entry.name === 'coder-pro');
if (!model) throw new Error('fleet lacks coder-pro');

runAdapterConformance({
  name: 'anthropic',
  createAdapter: (overrides) => createAdapter(providerFor('anthropic', 'anthropic', `${simulator.url}/anthropic`, overrides)),
  model: modelSettings('anthropic', model),
  capabilities: { maxChoices: 1 },
});
