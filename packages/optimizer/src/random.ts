/**
 * Seeded pseudo-random numbers, so every optimizer run is reproducible from its seed.
 *
 * How it works: sfc32 (a small, fast 128-bit-state generator that passes PractRand) seeded
 * through splitmix32. Normals by Box–Muller, Gamma by Marsaglia–Tsang (with the
 * `u^(1/a)` boost for shape < 1), Beta as the ratio of two Gammas.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  normal(): number;
  gamma(shape: number): number;
  beta(alpha: number, beta: number): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator fully determined by `seed` (any finite number; strings are hashed). */
export function createRandom(seed: number | string): Random {
  let numericSeed = 0;
  if (typeof seed === 'string') {
    let hash = 0x811c9dc5;
    for (let index = 0; index < seed.length; index += 1) hash = Math.imul(hash ^ seed.charCodeAt(index), 0x01000193);
    numericSeed = hash >>> 0;
  } else {
    numericSeed = Math.floor(seed * 2654435761) >>> 0;
  }
  const init = splitmix32(numericSeed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const uint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let warm = 0; warm < 12; warm += 1) uint();
  let spareNormal: number | null = null;

  const next = (): number => uint() / 4294967296;
  const normal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    let u = next();
    while (u <= 1e-300) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number): number => {
    if (shape < 1) {
      let u = next();
      while (u <= 1e-300) u = next();
      return gamma(shape + 1) * Math.pow(u, 1 / shape);
    }
    const d3 = shape - 1 / 3;
    const c3 = 1 / Math.sqrt(9 * d3);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c3 * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return d3 * v;
      if (Math.log(u) < 0.5 * x * x + d3 * (1 - v + Math.log(v))) return d3 * v;
    }
  };
  const beta = (alpha: number, betaShape: number): number => {
    const x = gamma(alpha);
    const y = gamma(betaShape);
    return x + y > 0 ? x / (x + y) : 0.5;
  };
  return { next, normal, gamma, beta, integer: (n) => Math.floor(next() * n) };
}

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = random.integer(index + 1);
    const held = items[index] as T;
    items[index] = items[other] as T;
    items[other] = held;
  }
  return items;
}
