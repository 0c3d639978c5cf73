import { describe, expect, it } from 'vitest';
import { delayBeyondInterval, EVENT_LOOP_RESOLUTION_MS, RouterMetrics } from './metrics';

describe('RouterMetrics', () => {
  it('renders per-request series in the Prometheus text format', async () => {
    const metrics = new RouterMetrics({ defaultMetrics: false });
    metrics.request('auto', 'json', 200);
    metrics.request('auto', 'json', 201);
    metrics.request('auto', 'sse', 503);
    metrics.upstream('p/m', 0.02, true);
    metrics.upstream('p/m', 3, true);
    metrics.upstream('p/"odd"', 0.001, false);
    metrics.firstToken('p/m', 0.2);
    metrics.policy('abc', 'thompson', false);
    metrics.circuit('p/m', 'open');
    const text = await metrics.render();
    expect(text).toContain('switchyard_router_requests_total{route="auto",mode="json",status="2xx"} 2');
    expect(text).toContain('switchyard_router_requests_total{route="auto",mode="sse",status="5xx"} 1');
    expect(text).toContain('switchyard_router_upstream_latency_seconds_bucket{model="p/m",outcome="ok",le="0.025"} 1');
    expect(text).toContain('switchyard_router_upstream_latency_seconds_bucket{model="p/m",outcome="ok",le="5"} 2');
    expect(text).toContain('switchyard_router_upstream_latency_seconds_bucket{model="p/m",outcome="ok",le="+Inf"} 2');
    expect(text).toContain('switchyard_router_upstream_latency_seconds_count{model="p/m",outcome="ok"} 2');
    expect(text).toContain('model="p/\\"odd\\"",outcome="error"');
    expect(text).toContain('switchyard_router_ttft_seconds_sum{model="p/m"} 0.2');
    expect(text).toContain('switchyard_router_policy_info{hash="abc",algorithm="thompson"} 1');
    expect(text).toContain('switchyard_router_circuit_state{model="p/m"} 2');
    expect(text).toContain('# TYPE switchyard_router_upstream_latency_seconds histogram');
  });
});

describe('event-loop delay gauges', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const gauge = (text: string, name: string): number => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`switchyard_router_nodejs_eventloop_lag_${name}_seconds `));
    if (!line) throw new Error(`no ${name} gauge in:\n${text}`);
    return Number(line.split(' ')[1]);
  };

  it('subtract the sampling interval from every sample (an idle loop reads 0, not the interval) and read 0 with no sample', () => {
    const intervalNs = EVENT_LOOP_RESOLUTION_MS * 1e6;
    // An idle loop: every tick on time (the interval exactly), one 3 ms late; p99 a 40 ms stall.
    const samples: Record<number, number> = { 50: intervalNs, 90: intervalNs + 3e6, 99: intervalNs + 40e6 };
    const idle = { count: 100, min: intervalNs, max: intervalNs + 40e6, mean: intervalNs + 0.5e6, stddev: 4e6, percentile: (p: number) => samples[p] as number };
    expect(delayBeyondInterval(idle, intervalNs)).toEqual({ min: 0, max: 0.04, mean: 0.0005, stddev: 0.004, p50: 0, p90: 0.003, p99: 0.04 });
    // A timer that fired early never reads as negative delay.
    expect(delayBeyondInterval({ ...idle, min: intervalNs - 1e6 }, intervalNs).min).toBe(0);
    expect(delayBeyondInterval({ ...idle, count: 0 }, intervalNs)).toEqual({ min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 });
  });

  it('replace prom-client\'s gauges, show a blocked loop in max, and start again after each scrape', async () => {
    const metrics = new RouterMetrics();
    try {
      await sleep(EVENT_LOOP_RESOLUTION_MS * 8);
      const idle = await metrics.render();
      expect(idle.match(/^# TYPE switchyard_router_nodejs_eventloop_lag_p50_seconds /gm)).toHaveLength(1);
      // Room for a busy machine (other test files run beside this one): a sample that still held
      // the interval would read at least the interval itself (prom-client's read 0.1 s).
      expect(gauge(idle, 'min')).toBeLessThan(EVENT_LOOP_RESOLUTION_MS / 1000);

      await sleep(EVENT_LOOP_RESOLUTION_MS * 2);
      const blockedUntil = Date.now() + 60;
      while (Date.now() < blockedUntil) {
        // busy-wait: the loop is blocked for 60 ms
      }
      await sleep(EVENT_LOOP_RESOLUTION_MS * 2);
      const blocked = await metrics.render();
      // The timer was due during the block at least twice, so the delay beyond the interval is at least 40 ms.
      expect(gauge(blocked, 'max')).toBeGreaterThanOrEqual(0.035);
      expect(gauge(blocked, 'max')).toBeLessThan(0.5);

      // The histogram covers the time since the previous scrape: the block is not in the next one.
      await sleep(EVENT_LOOP_RESOLUTION_MS * 4);
      expect(gauge(await metrics.render(), 'max')).toBeLessThan(gauge(blocked, 'max'));
    } finally {
      metrics.close();
    }
  });
});
