import { describe, expect, it } from 'vitest';
import { rankWithTies, wilsonInterval } from './ranking';

const row = (model: string, interval: [number, number] | null, mean = interval ? (interval[0] + interval[1]) / 2 : null) => ({
  model,
  quality: { mean, interval },
});
const shown = (rows: ReturnType<typeof rankWithTies>) => rows.map((entry) => `${entry.model}:${entry.rank === null ? '-' : `${entry.tied ? '=' : ''}${entry.rank}`}`);

describe('rankWithTies', () => {
  it('marks every model whose interval overlaps another as tied, along an overlapping chain', () => {
    const ranked = rankWithTies([row('c', [0.6, 0.75]), row('a', [0.8, 0.9]), row('b', [0.7, 0.85])]);
    // C overlaps B but lies entirely below A: one model clearly above it, and still tied (with B).
    expect(shown(ranked)).toEqual(['a:=1', 'b:=1', 'c:=2']);
  });

  it('ranks a model apart, untied, only when no interval overlaps its own', () => {
    const ranked = rankWithTies([row('low', [0.1, 0.3]), row('top', [0.8, 0.9]), row('mid', [0.5, 0.7]), row('none', null)]);
    expect(shown(ranked)).toEqual(['top:1', 'mid:2', 'low:3', 'none:-']);
    expect(ranked.map((entry) => entry.tied)).toEqual([false, false, false, false]);
  });

  it('orders a tie by mean quality, not by name', () => {
    // The reported case: Titan Ultra (86.4%) and Sage Think (82.6%) share rank 1.
    const ranked = rankWithTies([
      row('sage-think', wilsonInterval(0.826, 60), 0.826),
      row('titan-ultra', wilsonInterval(0.864, 300), 0.864),
      row('allround', wilsonInterval(0.85, 200), 0.85),
    ]);
    expect(shown(ranked)).toEqual(['titan-ultra:=1', 'allround:=1', 'sage-think:=1']);
  });

  it('keeps ranks increasing down the list when a wide interval ranks a lower mean ahead', () => {
    // `wide` (few samples) has nobody entirely above it; `narrow` is clearly behind `top`.
    const ranked = rankWithTies([row('narrow', [0.84, 0.88], 0.86), row('wide', [0.6, 0.95], 0.8), row('top', [0.89, 0.95], 0.92)]);
    expect(shown(ranked)).toEqual(['top:=1', 'wide:=1', 'narrow:=2']);
    const ranks = ranked.map((entry) => entry.rank ?? Infinity);
    expect(ranks).toEqual([...ranks].sort((left, right) => left - right));
  });

  it('reproduces the reported board: an interval overlapping three others is a tie, not a lone "3"', () => {
    const ranked = rankWithTies([
      row('titan-ultra', [0.82, 0.9], 0.864),
      row('sage-think', [0.75, 0.88], 0.826),
      row('polyglot-pro', [0.66, 0.78], 0.72),
      row('allround-m', [0.62, 0.75], 0.69),
      row('blitz-flash', [0.509, 0.685], 0.6),
      row('coder-pro', [0.5, 0.66], 0.58),
      row('numeric-7b', [0.45, 0.62], 0.54),
    ]);
    expect(shown(ranked)).toEqual([
      'titan-ultra:=1',
      'sage-think:=1',
      'polyglot-pro:=2',
      'allround-m:=2',
      'blitz-flash:=3',
      'coder-pro:=3',
      'numeric-7b:=4',
    ]);
  });
});
