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

const model = reliableFleet().models.find((entry) => entry.name === 'allround-m');
if (!model) throw new Error('fleet lacks allround-m');

// The generic base and four presets, each pointed at the simulator's OpenAI endpoint. Groq
// drops `n` and OpenRouter answers one choice whatever it says: neither returns several.
for (const type of ['openai-compatible', 'openai', 'groq', 'together', 'openrouter'] as const) {
  runAdapterConformance({
    name: type,
    createAdapter: (overrides) => createAdapter(providerFor(type, type, `${simulator.url}/openai/v1`, overrides)),
    model: modelSettings(type, model),
    capabilities: { maxChoices: type === 'groq' || type === 'openrouter' ? 1 : 128 },
  });
}

// Mistral sends no `stream_options`, so the simulator reports no usage in streams: the cost must be estimated.
runAdapterConformance({
  name: 'mistral',
  createAdapter: (overrides) => createAdapter(providerFor('mistral', 'mistral', `${simulator.url}/openai/v1`, overrides)),
  model: modelSettings('mistral', model),
  capabilities: { streamUsage: false },
});
