/**
 * Throughput of adapter + simulator in zero-latency mode, per wire format, streamed and
 * not: `npx tsx apps/simulator/bench/simulator-bench.ts [requests] [concurrency]`.
 * Writes bench/results/simulator.json. Both ends share this process (and its cores), so
 * `cpuMsPerRequest` is the cost of adapter + simulator together.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createAdapter, simulatorProviders, type FleetModel } from '@switchyard/providers';
import { startSimulator } from '../src/simulator';
import { modelSettings, providerFor, reliableFleet } from '../src/test-support';

const requests = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 32);
const fleet = reliableFleet();
const simulator = await startSimulator({ port: 0, zeroLatency: true, fleet, datasetDirs: [] });
const results: Array<Record<string, number | string>> = [];
let connections = 0;
simulator.app.server.on('connection', () => {
  connections += 1;
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

for (const name of ['allround-m', 'coder-pro', 'polyglot-pro']) {
  const model = fleet.models.find((entry) => entry.name === name) as FleetModel;
  const provider = simulatorProviders[model.format];
  const adapter = createAdapter(providerFor(provider.id, provider.type, `${simulator.url}${provider.path}`));
  const settings = modelSettings(provider.id, model);
  for (const stream of [false, true]) {
    const request = { model: name, messages: [{ role: 'user' as const, content: 'Explain keep-alive briefly.' }], max_tokens: 64 };
    const latencies: number[] = [];
    const connectionsBefore = connections;
    let next = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const worker = async () => {
      while (next < requests) {
        next += 1;
        const t0 = performance.now();
        if (stream) {
          for await (const event of adapter.stream(request, { model: settings })) void event;
        } else await adapter.chat(request, { model: settings });
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    latencies.sort((a, b) => a - b);
    const row = {
      format: model.format,
      stream: String(stream),
      requests,
      concurrency,
      requestsPerSecond: Math.round(requests / seconds),
      p50Ms: Math.round(percentile(latencies, 0.5) * 100) / 100,
      p99Ms: Math.round(percentile(latencies, 0.99) * 100) / 100,
      connections: connections - connectionsBefore,
      /** CPU of both ends per request: meaningful even on a busy machine, unlike wall-clock rates. */
      cpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1000 / requests) * 100) / 100,
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
  await adapter.close();
}
await simulator.close();
const resultsDir = new URL('../../../bench/results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('simulator.json', resultsDir), JSON.stringify({ at: new Date().toISOString(), requests, concurrency, results }, null, 2));
