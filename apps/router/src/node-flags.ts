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
 */
export const ROUTER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
