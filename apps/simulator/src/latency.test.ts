/** The latency model in action (no timing assertions: counts of paced chunks, not clocks). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter, type FleetModel } from '@switchyard/providers';
import { approximateTokens } from './answers';
import type { RunningSimulator } from './simulator';
import { modelSettings, providerFor, reliableFleet, startTestSimulator } from './test-support';

let simulator: RunningSimulator;
const fleet = reliableFleet();
const model = fleet.models.find((entry) => entry.name === 'blitz-flash') as FleetModel;
model.latency = { ttftMedianMs: 20, ttftSpread: 0, tokensPerSecond: 400 };

beforeAll(async () => {
  simulator = await startTestSimulator({ fleet, zeroLatency: false });
});
afterAll(() => simulator.close());

describe('latency model', () => {
  it('streams in many paced chunks of about tokens/s × 40 ms each', async () => {
    const adapter = createAdapter(providerFor('sim-gemini', 'gemini', `${simulator.url}/gemini`));
    const texts: string[] = [];
    for await (const event of adapter.stream({ model: 'x', messages: [{ role: 'user', content: 'Tell me about queues.' }], max_tokens: 200 }, { model: modelSettings('sim-gemini', model) })) {
      if (event.type === 'text') texts.push(event.text);
    }
    await adapter.close();
    // 400 tokens/s × 40 ms = 16 tokens per chunk, counted as the usage counts them, in whole words.
    expect(texts.length).toBeGreaterThan(3);
    for (const text of texts.slice(0, -1)) {
      expect(approximateTokens(text)).toBeGreaterThanOrEqual(16);
      expect(approximateTokens(text)).toBeLessThan(16 + 6);
      expect(text).toMatch(/\s$/);
    }
  });
});
