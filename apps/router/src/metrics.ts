/**
 * Prometheus metrics of one router (its own registry, so tests can run several). Labels are
 * bounded: route names and model ids come from config, status is a class (2xx/4xx/5xx), error
 * codes are the fixed enum. The per-request series (requests, upstream latency, TTFT) are
 * plain numbers updated without label hashing and rendered in the text format on scrape;
 * rarer ones (errors, fallbacks, policy, circuits, process metrics) use prom-client.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from './circuit-breaker';

const METRIC_PREFIX = 'switchyard_router_';
/** Sampling interval of the event-loop delay histogram. */
export const EVENT_LOOP_RESOLUTION_MS = 20;
/** prom-client's own histogram cannot be switched off; with this interval its timer (~24 days) never wakes the loop. */
const UNUSED_PROM_CLIENT_PRECISION_MS = 2 ** 31 - 1;

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

/** A counter series per label set, keyed by a caller-built string. */
class FastCounter {
  private readonly series = new Map<string, { labels: string; value: number }>();
  constructor(
    private readonly name: string,
    private readonly help: string,
  ) {}

  inc(key: string, labels: () => Record<string, string>): void {
    let series = this.series.get(key);
    if (!series) {
      series = { labels: labelText(labels()), value: 0 };
      this.series.set(key, series);
    }
    series.value += 1;
  }

  render(): string {
    let text = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const series of this.series.values()) text += `${this.name}{${series.labels}} ${series.value}\n`;
    return text;
  }
}

/** A histogram series per label set (cumulative buckets computed on render). */
class FastHistogram {
  private readonly series = new Map<string, { labels: string; counts: Float64Array; sum: number; count: number }>();
  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  observe(key: string, labels: () => Record<string, string>, value: number): void {
    let series = this.series.get(key);
    if (!series) {
      series = { labels: labelText(labels()), counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const buckets = this.buckets;
    for (let index = 0; index < buckets.length; index += 1) {
      if (value <= (buckets[index] as number)) {
        series.counts[index] = (series.counts[index] as number) + 1;
        break;
      }
    }
    series.sum += value;
    series.count += 1;
  }

  render(): string {
    let text = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (let index = 0; index < this.buckets.length; index += 1) {
        cumulative += series.counts[index] as number;
        text += `${this.name}_bucket{${series.labels},le="${this.buckets[index]}"} ${cumulative}\n`;
      }
      text += `${this.name}_bucket{${series.labels},le="+Inf"} ${series.count}\n`;
      text += `${this.name}_sum{${series.labels}} ${series.sum}\n${this.name}_count{${series.labels}} ${series.count}\n`;
    }
    return text;
  }
}

/** The gauges' values from a delay histogram (nanoseconds, each sample = interval + delay), in seconds. */
export function delayBeyondInterval(
  histogram: Pick<IntervalHistogram, 'count' | 'min' | 'max' | 'mean' | 'stddev' | 'percentile'>,
  intervalNs: number,
): { min: number; max: number; mean: number; stddev: number; p50: number; p90: number; p99: number } {
  const empty = histogram.count === 0;
  const seconds = (nanoseconds: number) => (empty ? 0 : Math.max(0, nanoseconds - intervalNs) / 1e9);
  return {
    min: seconds(histogram.min),
    max: seconds(histogram.max),
    mean: seconds(histogram.mean),
    stddev: empty ? 0 : histogram.stddev / 1e9,
    p50: seconds(histogram.percentile(50)),
    p90: seconds(histogram.percentile(90)),
    p99: seconds(histogram.percentile(99)),
  };
}

/**
 * prom-client's event-loop delay gauges, minus the sampling interval. perf_hooks'
 * monitorEventLoopDelay records the time between two ticks of a repeating timer, so each sample
 * is the interval plus the delay: an idle loop reads `resolution`, not 0. These gauges (same
 * names, help and semantics as prom-client's `eventLoopLag.js`) report the delay beyond the
 * interval, clamped at 0 (stddev is unchanged by the shift). Like prom-client's, they cover the
 * time since the previous scrape: the histogram is reset after each one, so a stall shows up
 * in the next scrape's max and then goes away instead of pinning it forever. A scrape with no
 * sample yet (two scrapes within one interval) reads 0.
 */
class EventLoopDelayGauges {
  private readonly histogram: IntervalHistogram;

  constructor(registers: Registry[]) {
    this.histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.histogram.enable();
    const intervalNs = EVENT_LOOP_RESOLUTION_MS * 1e6;
    const gauge = (suffix: string, help: string, collect?: () => void) =>
      new Gauge({ name: `${METRIC_PREFIX}nodejs_eventloop_lag_${suffix}_seconds`, help, registers, ...(collect ? { collect } : {}) });
    // The first gauge's collect sets them all (the registry collects in registration order), then resets.
    const min = gauge('min', 'The minimum recorded event loop delay.', () => {
      const delay = delayBeyondInterval(this.histogram, intervalNs);
      min.set(delay.min);
      max.set(delay.max);
      mean.set(delay.mean);
      stddev.set(delay.stddev);
      p50.set(delay.p50);
      p90.set(delay.p90);
      p99.set(delay.p99);
      this.histogram.reset();
    });
    const max = gauge('max', 'The maximum recorded event loop delay.');
    const mean = gauge('mean', 'The mean of the recorded event loop delays.');
    const stddev = gauge('stddev', 'The standard deviation of the recorded event loop delays.');
    const p50 = gauge('p50', 'The 50th percentile of the recorded event loop delays.');
    const p90 = gauge('p90', 'The 90th percentile of the recorded event loop delays.');
    const p99 = gauge('p99', 'The 99th percentile of the recorded event loop delays.');
  }

  close(): void {
    this.histogram.disable();
  }
}

const replacedLagMetrics = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((suffix) => `${METRIC_PREFIX}nodejs_eventloop_lag_${suffix}_seconds`);

export class RouterMetrics {
  readonly registry = new Registry();
  private readonly requests = new FastCounter('switchyard_router_requests_total', 'Chat requests by route, mode and status class');
  private readonly errors: Counter<'code'>;
  private readonly fallbacks: Counter<'route'>;
  private readonly upstreamLatency = new FastHistogram(
    'switchyard_router_upstream_latency_seconds',
    'Upstream call latency by model (to full response, or to first token for streams)',
    latencyBuckets,
  );
  private readonly ttft = new FastHistogram('switchyard_router_ttft_seconds', 'Time to first content token of streamed responses, by model', latencyBuckets);
  private readonly policyInfo: Gauge<'hash' | 'algorithm'>;
  private readonly policyColdStart: Gauge;
  private readonly circuitState: Gauge<'model'>;
  readonly decisionsDropped: Counter;
  readonly decisionsWritten: Counter;
  private readonly eventLoopDelay: EventLoopDelayGauges | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX, eventLoopMonitoringPrecision: UNUSED_PROM_CLIENT_PRECISION_MS });
      // Its delay gauges include the sampling interval: replaced by ours (same names). Its
      // `nodejs_eventloop_lag_seconds` (a setImmediate round trip at scrape time) stays.
      for (const name of replacedLagMetrics) this.registry.removeSingleMetric(name);
      this.eventLoopDelay = new EventLoopDelayGauges(registers);
    }
    this.errors = new Counter({ name: 'switchyard_router_errors_total', help: 'Error responses by error code', labelNames: ['code'], registers });
    this.fallbacks = new Counter({ name: 'switchyard_router_fallbacks_total', help: 'Requests served by a fallback model', labelNames: ['route'], registers });
    this.policyInfo = new Gauge({ name: 'switchyard_router_policy_info', help: 'The policy in use (value 1); hash label is the policy content hash', labelNames: ['hash', 'algorithm'], registers });
    this.policyColdStart = new Gauge({ name: 'switchyard_router_policy_cold_start', help: '1 while no policy was ever published and the cold-start rule routes', registers });
    this.circuitState = new Gauge({ name: 'switchyard_router_circuit_state', help: 'Circuit breaker per model: 0 closed, 1 half-open, 2 open', labelNames: ['model'], registers });
    this.decisionsDropped = new Counter({ name: 'switchyard_router_decisions_dropped_total', help: 'Decision records dropped (Redis unavailable or buffer full)', registers });
    this.decisionsWritten = new Counter({ name: 'switchyard_router_decisions_written_total', help: 'Decision records written to the Redis stream', registers });
  }

  request(route: string, mode: 'json' | 'sse', status: number): void {
    const statusClass = status < 300 ? '2xx' : status < 500 ? '4xx' : '5xx';
    this.requests.inc(`${route}\u0000${mode}\u0000${statusClass}`, () => ({ route, mode, status: statusClass }));
  }

  error(code: string): void {
    this.errors.labels(code).inc();
  }

  fallback(route: string): void {
    this.fallbacks.labels(route).inc();
  }

  upstream(model: string, seconds: number, ok: boolean): void {
    this.upstreamLatency.observe(ok ? model : `${model}\u0000error`, () => ({ model, outcome: ok ? 'ok' : 'error' }), seconds);
  }

  firstToken(model: string, seconds: number): void {
    this.ttft.observe(model, () => ({ model }), seconds);
  }

  /** The whole exposition: prom-client's registry plus the per-request series. */
  async render(): Promise<string> {
    const registered = await this.registry.metrics();
    return `${registered}${registered.endsWith('\n') ? '' : '\n'}${this.requests.render()}${this.upstreamLatency.render()}${this.ttft.render()}`;
  }

  policy(hash: string | null, algorithm: string, coldStart: boolean): void {
    this.policyInfo.reset();
    this.policyInfo.labels(hash ?? 'none', algorithm).set(1);
    this.policyColdStart.set(coldStart ? 1 : 0);
  }

  circuit(model: string, state: CircuitState): void {
    this.circuitState.labels(model).set(state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  /** Stop the event-loop delay sampling timer. */
  close(): void {
    this.eventLoopDelay?.close();
  }
}
