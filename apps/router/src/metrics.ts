/**
 * Prometheus metrics of one router (its own registry, so tests can run several). Labels are
 * bounded: route names and model ids come from config, status is a class (2xx/4xx/5xx), error
 * codes are the fixed enum. Labelled children are cached so a request does no label hashing.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from './circuit-breaker';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class RouterMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'mode' | 'status'>;
  private readonly errors: Counter<'code'>;
  private readonly fallbacks: Counter<'route'>;
  private readonly upstreamLatency: Histogram<'model' | 'outcome'>;
  private readonly ttft: Histogram<'model'>;
  private readonly policyInfo: Gauge<'hash' | 'algorithm'>;
  private readonly policyColdStart: Gauge;
  private readonly circuitState: Gauge<'model'>;
  readonly decisionsDropped: Counter;
  readonly decisionsWritten: Counter;
  private readonly requestChildren = new Map<string, { inc(): void }>();
  private readonly latencyChildren = new Map<string, { observe(value: number): void }>();
  private readonly ttftChildren = new Map<string, { observe(value: number): void }>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_router_' });
    this.requests = new Counter({ name: 'switchyard_router_requests_total', help: 'Chat requests by route, mode and status class', labelNames: ['route', 'mode', 'status'], registers });
    this.errors = new Counter({ name: 'switchyard_router_errors_total', help: 'Error responses by error code', labelNames: ['code'], registers });
    this.fallbacks = new Counter({ name: 'switchyard_router_fallbacks_total', help: 'Requests served by a fallback model', labelNames: ['route'], registers });
    this.upstreamLatency = new Histogram({ name: 'switchyard_router_upstream_latency_seconds', help: 'Upstream call latency by model (to full response, or to first token for streams)', labelNames: ['model', 'outcome'], buckets: latencyBuckets, registers });
    this.ttft = new Histogram({ name: 'switchyard_router_ttft_seconds', help: 'Time to first content token of streamed responses, by model', labelNames: ['model'], buckets: latencyBuckets, registers });
    this.policyInfo = new Gauge({ name: 'switchyard_router_policy_info', help: 'The policy in use (value 1); hash label is the policy content hash', labelNames: ['hash', 'algorithm'], registers });
    this.policyColdStart = new Gauge({ name: 'switchyard_router_policy_cold_start', help: '1 while no policy was ever published and the cold-start rule routes', registers });
    this.circuitState = new Gauge({ name: 'switchyard_router_circuit_state', help: 'Circuit breaker per model: 0 closed, 1 half-open, 2 open', labelNames: ['model'], registers });
    this.decisionsDropped = new Counter({ name: 'switchyard_router_decisions_dropped_total', help: 'Decision records dropped (Redis unavailable or buffer full)', registers });
    this.decisionsWritten = new Counter({ name: 'switchyard_router_decisions_written_total', help: 'Decision records written to the Redis stream', registers });
  }

  request(route: string, mode: 'json' | 'sse', status: number): void {
    const statusClass = status < 300 ? '2xx' : status < 500 ? '4xx' : '5xx';
    const key = `${route}\u0000${mode}\u0000${statusClass}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = this.requests.labels(route, mode, statusClass);
      this.requestChildren.set(key, child);
    }
    child.inc();
  }

  error(code: string): void {
    this.errors.labels(code).inc();
  }

  fallback(route: string): void {
    this.fallbacks.labels(route).inc();
  }

  upstream(model: string, seconds: number, ok: boolean): void {
    const key = ok ? model : `${model}\u0000error`;
    let child = this.latencyChildren.get(key);
    if (!child) {
      child = this.upstreamLatency.labels(model, ok ? 'ok' : 'error');
      this.latencyChildren.set(key, child);
    }
    child.observe(seconds);
  }

  firstToken(model: string, seconds: number): void {
    let child = this.ttftChildren.get(model);
    if (!child) {
      child = this.ttft.labels(model);
      this.ttftChildren.set(model, child);
    }
    child.observe(seconds);
  }

  policy(hash: string | null, algorithm: string, coldStart: boolean): void {
    this.policyInfo.reset();
    this.policyInfo.labels(hash ?? 'none', algorithm).set(1);
    this.policyColdStart.set(coldStart ? 1 : 0);
  }

  circuit(model: string, state: CircuitState): void {
    this.circuitState.labels(model).set(state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }
}
