import { describe, expect, it } from 'vitest';
import { breakLongGaps } from './probe-series';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 21, minute)).toISOString();
const point = (model: string, minute: number, value: number) => ({ model, bucket: at(minute), value });

describe('breakLongGaps', () => {
  it('puts a NaN point between buckets too far apart, per series, and leaves close ones joined', () => {
    const out = breakLongGaps([point('a', 0, 1), point('a', 1, 2), point('a', 15, 3), point('b', 0, 4), point('b', 2, 5)], {
      bucketSeconds: 60,
      series: (entry) => entry.model,
      gap: (entry, bucket) => ({ ...entry, bucket, value: Number.NaN }),
    });
    expect(out.map((entry) => [entry.model, entry.bucket, entry.value])).toEqual([
      ['a', at(0), 1],
      ['a', at(1), 2],
      ['a', at(8), Number.NaN],
      ['a', at(15), 3],
      ['b', at(0), 4],
      ['b', at(2), 5],
    ]);
  });

  it('sorts each series by time and keeps a lone point', () => {
    const out = breakLongGaps([point('a', 5, 2), point('a', 4, 1), point('c', 9, 7)], {
      bucketSeconds: 60,
      series: (entry) => entry.model,
      gap: (entry, bucket) => ({ ...entry, bucket, value: Number.NaN }),
    });
    expect(out.map((entry) => entry.value)).toEqual([1, 2, 7]);
  });
});
