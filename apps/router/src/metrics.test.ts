import { describe, expect, it } from 'vitest';
import { RouterMetrics } from './metrics';

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
