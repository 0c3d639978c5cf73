/**
 * Probe series for line charts: a line must not bridge a stretch with no samples (the system
 * was stopped, the model disabled), or it draws latencies nobody measured.
 */

/** A stretch longer than this many buckets without a sample breaks the line. */
const MAX_GAP_BUCKETS = 2;

/**
 * `points` with, per `series` key, a gap point (value NaN, which breaks a Plot line) between
 * two consecutive buckets more than `MAX_GAP_BUCKETS` buckets apart.
 */
export function breakLongGaps<T extends { bucket: string }>(
  points: readonly T[],
  options: { bucketSeconds: number; series: (point: T) => string; gap: (point: T, bucket: string) => T },
): T[] {
  const limitMs = options.bucketSeconds * 1000 * MAX_GAP_BUCKETS;
  const bySeries = new Map<string, T[]>();
  for (const point of points) {
    const key = options.series(point);
    const list = bySeries.get(key) ?? [];
    list.push(point);
    bySeries.set(key, list);
  }
  const out: T[] = [];
  for (const list of bySeries.values()) {
    list.sort((left, right) => Date.parse(left.bucket) - Date.parse(right.bucket));
    list.forEach((point, index) => {
      const previous = list[index - 1];
      if (previous) {
        const before = Date.parse(previous.bucket);
        const after = Date.parse(point.bucket);
        if (after - before > limitMs) out.push(options.gap(point, new Date((before + after) / 2).toISOString()));
      }
      out.push(point);
    });
  }
  return out;
}
