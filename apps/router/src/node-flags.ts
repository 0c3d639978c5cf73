/**
 * The Node.js flags the router process runs with: `npm start` (scripts/start.ts), the package's
 * own `start` script, and `npm run bench:router` all use these, so the benchmark measures what
 * runs.
 *
 * `--max-semi-space-size=64` (MiB; Node 20's default is 16): a streamed request allocates about
 * 60 KiB (its SSE text, events, frames and the HTTP objects around them), so with the default
 * young generation the router scavenged every ~0.3 s at 700 req/s and objects still in flight
 * were promoted, growing the old generation into mark-compacts of 5–20 ms. With 64 MiB the
 * scavenges are about 4× rarer, fewer objects live long enough to be promoted, and the share of
 * wall time in GC under streaming load fell from 7.6–7.9 % to 2.3 % (`npm run bench:router`,
 * SSE c=16). The cost is up to 144 MiB more reserved heap for the router process only.
 *
 * `--no-allocation-site-pretenuring`: V8 allocates straight into the old generation from any
 * allocation site whose objects once survived often, and under a burst (or the JSON load that
 * runs before the streaming one in the benchmark) it marked sites of the hot path that way.
 * Their short-lived objects then filled the old generation with ~30 MB/s of garbage: a
 * mark-compact every ~3 s, pauses up to 15 ms, GC at 5.8 % of wall time and the SSE p99 at
 * +9.6 ms. Without pretenuring, the same sequence ran one mark-compact, GC 3.0 %, SSE p99
 * +4.7 ms, and 16 % less CPU per streamed request (`BENCH_ONLY=1,2 npm run bench:router`,
 * trace from `BENCH_ROUTER_NODE_FLAGS=--trace-gc`).
 */
export const ROUTER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];
