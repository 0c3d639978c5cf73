/**
 * Deterministic randomness. Quality draws hash (model, item, seed) so a run is reproducible
 * whatever the request order; latency and fault draws use one seeded stream per simulator.
 */

/** cyrb53: a fast 53-bit string hash with good avalanche. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A uniform number in [0, 1) determined by the parts. */
export function unitHash(...parts: Array<string | number>): number {
  return hash53(parts.join('\u0000')) / 2 ** 53;
}

/** The simulator's seeded stream (core's mulberry32). */

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Lognormal with the given median and σ. */
export function lognormal(random: () => number, median: number, sigma: number): number {
  return sigma === 0 ? median : median * Math.exp(sigma * normal(random));
}
