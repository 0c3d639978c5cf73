/** Helpers for tests and benchmarks that run against an in-process simulator (`@switchyard/simulator/testing`). */
import { providerConfigSchema, type ModelCallSettings, type ProviderConfig } from '@switchyard/core';
import { loadFleet, type Fleet, type FleetModel } from '@switchyard/providers';
import type { AdapterOverrides } from '@switchyard/providers/testing';
import { DEFAULT_DATASET_DIR, startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator';

export const TEST_CONTROL_TOKEN = 'test-control-token';

/** The bundled fleet without random faults, so only forced faults happen. */
export function reliableFleet(): Fleet {
  const fleet = loadFleet();
  for (const model of fleet.models) {
    model.reliability = { errorRates: { '500': 0, '503': 0, '429': 0, '529': 0 }, retryAfterSeconds: 1, timeoutRate: 0, cutRate: 0 };
  }
  return fleet;
}

/** The repo's bundled datasets (the simulator knows their items' answers). */
export function testDatasetDirs(): string[] {
  return [DEFAULT_DATASET_DIR];
}

export function startTestSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({
    port: 0,
    zeroLatency: true,
    fleet: reliableFleet(),
    controlToken: TEST_CONTROL_TOKEN,
    datasetDirs: testDatasetDirs(),
    ...options,
  });
}

export function modelSettings(providerId: string, model: FleetModel): ModelCallSettings {
  return { id: `${providerId}/${model.name}`, upstreamName: model.name, price: model.price, maxOutputTokens: model.maxOutputTokens };
}

/** A provider config for `type` pointing at `baseUrl`, with conformance overrides applied. */
export function providerFor(id: string, type: string, baseUrl: string, overrides: AdapterOverrides = {}): ProviderConfig {
  return providerConfigSchema.parse({
    id,
    type,
    baseUrl,
    ...(overrides.apiKey === null ? {} : { apiKey: overrides.apiKey ?? 'sk-test-key' }),
    headers: overrides.headers ?? {},
    timeouts: { connectMs: 2_000, firstTokenMs: overrides.timeouts?.firstTokenMs ?? 10_000, totalMs: overrides.timeouts?.totalMs ?? 20_000 },
  });
}
