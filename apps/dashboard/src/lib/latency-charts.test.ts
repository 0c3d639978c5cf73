import * as Plot from '@observablehq/plot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { latencyDistributionOptions, latencyOverTimeOptions, timeTick } from './latency-charts';
import type { ProbePoint } from './types';

const bucket = '2026-11-22T07:23:00.000Z';
const point = (model: string, latency: number, at = bucket): ProbePoint => ({
  model,
  bucket: at,
  samples: 3,
  errors: 0,
  latencyP50Ms: latency,
  latencyP95Ms: latency * 1.2,
  ttftP50Ms: latency / 2,
});
// A fresh install: one bucket per model, so as many series as points.
const fresh = ['a/one', 'a/two', 'b/three', 'b/four', 'c/five', 'c/six', 'd/seven', 'd/eight'].map((model, index) => point(model, 300 + index * 400));
const window = { from: '2026-11-22T06:24:00.000Z', to: '2026-11-22T07:24:00.000Z', hours: 1 };

const draw = (options: Plot.PlotOptions) => Plot.plot({ ...options, width: 800, height: 320 }) as Element;

describe('latency charts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('draw a fresh install (one bucket per model) without a Plot warning or its ⚠ glyph', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const overTime = draw(latencyOverTimeOptions({ lines: fresh, points: fresh, window, width: 800 }));
    const distribution = draw(latencyDistributionOptions(fresh, 800));
    expect(warn).not.toHaveBeenCalled();
    expect(overTime.textContent).not.toContain('⚠');
    expect(distribution.textContent).not.toContain('⚠');
  });

  it('label time ticks as times, never as a raw ISO timestamp', () => {
    const figure = draw(latencyOverTimeOptions({ lines: fresh, points: fresh, window, width: 800 }));
    const ticks = [...figure.querySelectorAll('[aria-label="x-axis tick label"] text')].map((text) => text.textContent ?? '');
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^\d{2}:\d{2}$/);
    expect(figure.textContent).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('name the day on the ticks of a window longer than a day', () => {
    expect(timeTick(168)(new Date(bucket))).toMatch(/\d{2}:\d{2}/);
    expect(timeTick(168)(new Date(bucket))).not.toBe(timeTick(1)(new Date(bucket)));
    expect(timeTick(1)(new Date(bucket))).toMatch(/^\d{2}:\d{2}$/);
  });
});
