/**
 * Load generators for the router benchmark (undici, keep-alive pool):
 * - closed loop: N workers, each sends its next request when the previous one finished;
 * - open loop: requests at evenly spaced intended times (R/s), latency measured from the
 *   intended send time, so a stall shows up as latency instead of silently lowering the rate
 *   (no coordinated omission). autocannon's `-R` fires each second's requests in one burst.
 * For SSE the latency is the time to the first body byte of the event stream.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadTarget {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  sse: boolean;
}

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  errors: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function summarize(latencies: number[], errors: number, seconds: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { rps: Math.round(latencies.length / seconds), p50_ms: round(percentile(sorted, 0.5)), p99_ms: round(percentile(sorted, 0.99)), requests: latencies.length, errors };
}

async function once(pool: Pool, target: LoadTarget, startedAt: number): Promise<number> {
  const response = await pool.request({ method: 'POST', path: target.path, headers: target.headers, body: target.body });
  let firstByteAt = 0;
  for await (const chunk of response.body) {
    if (firstByteAt === 0 && (chunk as Buffer).length > 0) {
      firstByteAt = performance.now();
    }
  }
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  return (target.sse ? firstByteAt : performance.now()) - startedAt;
}

export async function closedLoop(target: LoadTarget, connections: number, durationMs: number): Promise<LoadResult> {
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      try {
        latencies.push(await once(pool, target, sentAt));
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return summarize(latencies, errors, seconds);
}

export async function openLoop(target: LoadTarget, ratePerSecond: number, durationMs: number): Promise<LoadResult> {
  const pool = new Pool(target.origin, { connections: 512, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const interval = 1000 / ratePerSecond;
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
      while (sent < due) {
        const intended = started + sent * interval;
        sent += 1;
        pending.push(
          once(pool, target, intended).then(
            (latency) => {
              latencies.push(latency);
            },
            () => {
              errors += 1;
            },
          ),
        );
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return summarize(latencies, errors, seconds);
}
