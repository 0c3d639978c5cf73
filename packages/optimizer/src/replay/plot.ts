/**
 * SVG plot of a replay report: the policy's λ sweep (one line per algorithm) and budget sweep against the
 * single models, their mixing frontier, the oracle and the contextual model's full-information ceiling. Rendered server-side with Observable
 * Plot on a jsdom document. Cost axis is logarithmic (costs span three orders of magnitude).
 */
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { nonDecreasingHull } from './metrics';
import type { ReplayReport } from './report';

export async function renderReplayPlot(report: ReplayReport): Promise<string> {
  const { document } = new JSDOM('<!doctype html><html><body></body></html>').window;
  const singles = report.single_models.map((single) => ({ ...single, series: 'single model' }));
  const frontier = nonDecreasingHull(report.single_models.map((single) => ({ cost: single.cost_per_1k, quality: single.quality }))).map((point) => ({
    cost_per_1k: point.cost,
    quality: point.quality,
    series: 'frontier (mixing single models)',
  }));
  const sweeps = Object.entries(report.sweeps).flatMap(([algorithm, sweep]) =>
    [...sweep].sort((a, b) => a.cost_per_1k - b.cost_per_1k).map((point) => ({ ...point, series: `policy: ${algorithm}` })),
  );
  const budgets = [...report.budget_sweep].sort((a, b) => a.cost_per_1k - b.cost_per_1k).map((point) => ({ ...point, series: 'policy: thompson with a budget' }));
  const ceiling = [...report.ceiling.contextual_full_information.sweep]
    .sort((a, b) => a.cost_per_1k - b.cost_per_1k)
    .map((point) => ({ ...point, series: 'ceiling: contextual, full information' }));
  const oracle = [{ ...report.baselines.oracle, series: 'oracle' }];
  const labels = [
    ...Object.keys(report.sweeps).map((algorithm) => {
      const sweep = sweeps.filter((point) => point.series === `policy: ${algorithm}`);
      return sweep[sweep.length - 1];
    }),
    budgets[budgets.length - 1],
    frontier[frontier.length - 1],
    oracle[0],
  ].filter((point): point is { cost_per_1k: number; quality: number; series: string } => point !== undefined);
  const caption = `${report.bench}: quality vs cost on ${report.online_prompts} online prompts (seed ${report.seed}, warm start ${report.warm_start_fraction}); AIQ policy ${report.aiq.policy.toFixed(4)}, frontier ${report.aiq.frontier_mixing.toFixed(4)}, full-information ceiling ${report.ceiling.contextual_full_information.aiq.toFixed(4)}, oracle ${report.aiq.oracle.toFixed(4)}`;
  const svg = Plot.plot({
    document,
    width: 900,
    height: 540,
    marginLeft: 60,
    marginRight: 160,
    marginTop: 40,
    style: { fontFamily: 'sans-serif', fontSize: '11px', background: 'white' },
    x: { type: 'log', label: 'cost per 1k prompts (USD, log scale)', grid: true },
    y: { label: 'quality (mean score)', grid: true },
    color: {
      domain: ['single model', 'frontier (mixing single models)', 'policy: thompson', 'policy: contextual', 'policy: thompson with a budget', 'ceiling: contextual, full information', 'oracle'],
      range: ['#888', '#555', '#1f77b4', '#d62728', '#9467bd', '#ff7f0e', '#2ca02c'],
    },
    marks: [
      Plot.line(frontier, { x: 'cost_per_1k', y: 'quality', stroke: 'series', strokeDasharray: '4,3' }),
      Plot.dot(singles, { x: 'cost_per_1k', y: 'quality', stroke: 'series', r: 3 }),
      Plot.text(singles, { x: 'cost_per_1k', y: 'quality', text: 'model', dy: -7, fontSize: 8, fill: '#777' }),
      Plot.line(sweeps, { x: 'cost_per_1k', y: 'quality', stroke: 'series', marker: 'circle', strokeWidth: 2 }),
      Plot.line(budgets, { x: 'cost_per_1k', y: 'quality', stroke: 'series', marker: 'circle-stroke', strokeWidth: 1.5, strokeDasharray: '2,2' }),
      Plot.line(ceiling, { x: 'cost_per_1k', y: 'quality', stroke: 'series', strokeWidth: 2, strokeDasharray: '6,3' }),
      // Its label above the others: its priciest point sits next to the frontier's.
      Plot.text(ceiling.slice(-1), { x: 'cost_per_1k', y: 'quality', text: 'series', fill: 'series', dx: 8, dy: -12, textAnchor: 'start', fontWeight: 'bold' }),
      Plot.dot(oracle, { x: 'cost_per_1k', y: 'quality', fill: 'series', r: 6, symbol: 'star' }),
      Plot.text(labels, { x: 'cost_per_1k', y: 'quality', text: 'series', fill: 'series', dx: 8, textAnchor: 'start', fontWeight: 'bold' }),
      Plot.text([caption], { frameAnchor: 'top-left', dy: -28, fontSize: 12 }),
    ],
  }) as unknown as Element;
  if (!svg.getAttribute('xmlns')) svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return svg.outerHTML;
}
