/**
 * The Tradeoffs page's probe-latency figures as Observable Plot options: p50 over time per
 * model, and the spread of those p50s per model. Kept out of the page so a test can draw
 * them and check that Plot has nothing to warn about.
 */
import * as Plot from '@observablehq/plot';
import type { ProbePoint } from './types';

/** A time tick as hours and minutes, with the day when the window spans more than one. */
export function timeTick(hours: number): (date: Date) => string {
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (date) => (hours > 24 ? dayAndTime : time).format(date);
}

/**
 * Lines of probe p50 per model (`lines` may hold NaN gap points, see breakLongGaps) with faint
 * p95 dots, over the requested window, so a fresh install's single bucket sits at the right
 * end of its hour instead of alone on an axis labelled with a raw timestamp.
 */
export function latencyOverTimeOptions(input: {
  lines: readonly ProbePoint[];
  points: readonly ProbePoint[];
  window: { from: string; to: string; hours: number };
  width: number;
}): Plot.PlotOptions {
  const at = (point: ProbePoint) => new Date(point.bucket);
  return {
    x: {
      type: 'time',
      label: null,
      domain: [new Date(input.window.from), new Date(input.window.to)],
      ticks: Math.max(2, Math.floor(input.width / 110)),
      tickFormat: timeTick(input.window.hours),
    },
    y: { label: 'latency p50 (ms)', grid: true, zero: true },
    color: { legend: true },
    marks: [
      // One line per model, stated: with few buckets per model Plot's implicit grouping warns.
      Plot.lineY(input.lines, { x: at, y: 'latencyP50Ms', z: 'model', stroke: 'model', tip: true }),
      Plot.dot(input.points, { x: at, y: 'latencyP95Ms', stroke: 'model', r: 1.5, opacity: 0.5 }),
    ],
  };
}

/** A box per model of its p50s per bucket. */
export function latencyDistributionOptions(points: readonly ProbePoint[], width: number): Plot.PlotOptions {
  return {
    marginLeft: Math.min(220, width * 0.4),
    x: { label: 'latency p50 per bucket (ms)', grid: true },
    y: { label: null },
    marks: [Plot.boxX(points, { x: 'latencyP50Ms', y: 'model' })],
  };
}

/** The height the distribution needs: a row per model. */
export function latencyDistributionHeight(points: readonly ProbePoint[]): number {
  return Math.max(160, new Set(points.map((point) => point.model)).size * 30 + 60);
}
