/**
 * Parser benchmark: generates a 100,000-item JSONL (GSM8K-like items, ~60 MB), parses it
 * from a file stream with parseDataset, and writes items/s, MB/s and peak memory to
 * bench/results/evals.json. Run with `npm run bench:evals`.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDataset } from '../src/index';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const file = join(tmpdir(), `switchyard-parser-bench-${process.pid}.jsonl`);

async function generate(): Promise<void> {
  const out = createWriteStream(file);
  const categories = ['math', 'code', 'knowledge', 'reasoning'];
  for (let index = 0; index < ITEMS; index += 1) {
    const a = (index * 7919) % 1000;
    const b = (index * 104729) % 997;
    const line = JSON.stringify({
      id: `bench-${index}`,
      input: [
        { role: 'system', content: 'You are a careful assistant. Think step by step, then answer.' },
        {
          role: 'user',
          content: `Item ${index}: A shop sells ${a} apples on Monday and ${b} apples on Tuesday at $${(index % 9) + 1}.50 each. ` +
            'Half of the remaining stock is donated, and the owner restocks twice the amount sold. How much money did the shop ' +
            'make from apples over the two days? End your reply with a final line of the form "Answer: <number>".',
        },
      ],
      ideal: String((a + b) * ((index % 9) + 1.5)),
      grader: 'numeric',
      category: categories[index % categories.length],
      meta: { source_index: index },
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  await generate();
  const bytes = statSync(file).size;
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const parsed = await parseDataset(createReadStream(file, { highWaterMark: 256 * 1024 }), { filename: 'bench.jsonl' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  const end = process.memoryUsage();
  peakRss = Math.max(peakRss, end.rss);
  peakHeap = Math.max(peakHeap, end.heapUsed);
  rmSync(file, { force: true });
  if (parsed.items.length !== ITEMS) throw new Error(`expected ${ITEMS} items, parsed ${parsed.items.length}`);

  const mb = (value: number) => Math.round((value / (1024 * 1024)) * 10) / 10;
  const result = {
    benchmark: 'evals parser: parseDataset over a generated JSONL file stream',
    at: new Date().toISOString(),
    node: process.version,
    items: ITEMS,
    fileMB: mb(bytes),
    seconds: Math.round(seconds * 1000) / 1000,
    itemsPerSecond: Math.round(ITEMS / seconds),
    mbPerSecond: Math.round((bytes / (1024 * 1024) / seconds) * 10) / 10,
    // CPU time is less sensitive than wall time to other processes sharing the machine.
    cpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
    itemsPerCpuSecond: Math.round(ITEMS / cpuSeconds),
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    cores: cpus().length,
    peakRssMB: mb(peakRss),
    peakHeapUsedMB: mb(peakHeap),
    rssBeforeMB: mb(baseline.rss),
    heapBeforeMB: mb(baseline.heapUsed),
    versionId: parsed.versionId,
    note: 'Peak memory includes the parsed items, which the caller keeps; the file itself is never held whole.',
  };
  const out = join(root, 'bench/results/evals.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

await main();
