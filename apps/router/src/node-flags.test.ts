import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTER_NODE_FLAGS } from './node-flags';

function heapLimitWith(flags: readonly string[]): number {
  const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit))'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return Number(run.stdout);
}

describe('the router process flags', () => {
  it('are flags this Node.js knows, and they enlarge the heap (a misspelled flag would stop the router from starting)', () => {
    expect(heapLimitWith(ROUTER_NODE_FLAGS)).toBeGreaterThan(heapLimitWith([]));
  });

  it("are also in the router package's own start script", () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    for (const flag of ROUTER_NODE_FLAGS) expect(manifest.scripts.start).toContain(flag);
  });
});
