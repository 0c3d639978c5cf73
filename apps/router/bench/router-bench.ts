/**
 * `npm run bench:router`: the router's overhead against the simulator in zero-latency mode.
 *
 * Four processes: the simulator, the router (forked, reporting its GC time), a bare Node.js
 * proxy (forked, bare-proxy.ts: the floor of one more Node hop) and this one generating load;
 * a fifth, HAProxy (native-proxy.ts: the floor of one more hop in any language), when the
 * machine has it. Each scenario runs direct-to-simulator, through the floors and through the router, JSON
 * and SSE (time to first byte), at fixed concurrency and at a fixed open-loop rate, after a
 * warm-up. Writes bench/results/router.json.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { freePort } from '@switchyard/core';
import { reliableFleet } from '@switchyard/simulator/testing';
import { closedLoop, openLoop, type LoadResult, type LoadTarget } from './load-generator';
import { ROUTER_NODE_FLAGS } from '../src/node-flags';
import { findHaproxy, startNativeProxy } from './native-proxy';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);

/** Linux's cumulative CPU ticks (all CPUs): total and stolen by the hypervisor; null elsewhere. */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}
const ticksAtStart = cpuTicks();
const openLoopRate = Number(process.env.BENCH_RATE ?? 700);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3));
/** CPU share stolen by the hypervisor above which a repeat is run again, and how often per scenario. */
const maxSteal = Number(process.env.BENCH_MAX_STEAL ?? 0.15);
const maxRedone = 3;

async function waitHealthy(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became healthy`);
}

function request<T>(child: ChildProcess, message: { type: string }, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (incoming: { type: string }) => {
      if (incoming.type !== reply) return;
      child.off('message', onMessage);
      resolve(incoming as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

interface GcReport {
  gcMs: number;
  gcCount: number;
  gcMaxMs: number;
  majorGcCount: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  wallMs: number;
  cpuMs: number;
  decisionsWritten: number;
  decisionsDropped: number;
}

/** Share of CPU ticks since `since` that the hypervisor stole. */
function stealShare(since = ticksAtStart): number | null {
  const now = cpuTicks();
  if (!now || !since || now.total === since.total) return null;
  return Math.round(((now.steal - since.steal) / (now.total - since.total)) * 1000) / 1000;
}

/** Fork a bench process (under tsx, with extra node flags) and wait for its `ready` message with its URL. */
async function forkReady(entry: string, nodeFlags: string | undefined, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(entry, [], {
    // The router's production flags, for the bare proxy too, so the floor is measured alike.
    execArgv: [...ROUTER_NODE_FLAGS, '--import', 'tsx', ...(nodeFlags ?? '').split(' ').filter(Boolean)],
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    cwd: root,
  });
  children.push(child);
  const url = await new Promise<string>((resolve) => {
    child.on('message', (message: { type: string; url?: string }) => {
      if (message.type === 'ready') resolve(message.url as string);
    });
  });
  return { child, url };
}

async function main(): Promise<void> {
  // A quiet fleet: no random errors or timeouts, so every request measures the happy path.
  const fleet = reliableFleet();
  const fleetFile = join(tmpdir(), `switchyard-bench-fleet-${process.pid}.json`);
  writeFileSync(fleetFile, JSON.stringify(fleet));
  const openAiModels = fleet.models.filter((model) => model.format === 'openai');
  const directModel = openAiModels[0]?.name as string;

  const simulatorPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', SWITCHYARD_API_AUTH: 'off' };
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_CONFIG;
  const simulator = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/simulator/src/main.ts')], {
    env: {
      ...env,
      SWITCHYARD_SIMULATOR_PORT: String(simulatorPort),
      SWITCHYARD_SIMULATOR_ZERO_LATENCY: '1',
      SWITCHYARD_SIMULATOR_FLEET: fleetFile,
      SWITCHYARD_SIMULATOR_DATASETS: join(tmpdir(), 'switchyard-bench-no-datasets'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: root,
  });
  children.push(simulator);
  const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
  await waitHealthy(`${simulatorUrl}/healthz`);

  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  // BENCH_ROUTER_ENTRY: the same process from a bundle (bundle-router.ts), for line-level profiles.
  // BENCH_ROUTER_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") and BENCH_BARE_NODE_FLAGS
  // profile the router and the bare proxy.
  const routerEntry = process.env.BENCH_ROUTER_ENTRY ? resolve(root, process.env.BENCH_ROUTER_ENTRY) : join(here, 'router-process.ts');
  benchPrefix = prefix;
  const { child: routerProcess, url: routerUrl } = await forkReady(routerEntry, process.env.BENCH_ROUTER_NODE_FLAGS, {
    ...env,
    BENCH_SIMULATOR_PORT: String(simulatorPort),
    BENCH_FLEET_FILE: fleetFile,
    BENCH_REDIS_PREFIX: prefix,
    BENCH_CANDIDATES: openAiModels.map((model) => `sim-openai/${model.name}`).join(','),
  });
  const { child: bareProcess, url: bareUrl } = await forkReady(join(here, 'bare-proxy.ts'), process.env.BENCH_BARE_NODE_FLAGS, {
    ...env,
    BENCH_SIMULATOR_PORT: String(simulatorPort),
    BENCH_DIRECT_MODEL: directModel,
  });

  const haproxy = findHaproxy();
  let native: { url: string; version: string } | null = null;
  if (haproxy) {
    const nativePort = await freePort();
    children.push(startNativeProxy(haproxy.binary, nativePort, simulatorPort));
    native = { url: `http://127.0.0.1:${nativePort}`, version: haproxy.version };
    await waitHealthy(`${native.url}/healthz`);
  } else console.error('no haproxy on PATH (or BENCH_HAPROXY): the native-proxy floor is left out');

  const messages = [{ role: 'user', content: 'Write one friendly sentence greeting a new colleague.' }];
  // The native proxy forwards the direct request as it is (it parses no body).
  const target = (via: 'direct' | 'native' | 'bare' | 'router', sse: boolean): LoadTarget => {
    const asDirect = via === 'direct' || via === 'native';
    const body: Record<string, unknown> = { model: asDirect ? directModel : 'auto', messages, max_tokens: 64 };
    if (sse) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return {
      origin: via === 'direct' ? simulatorUrl : via === 'native' ? (native?.url as string) : via === 'bare' ? bareUrl : routerUrl,
      path: asDirect ? '/openai/v1/chat/completions' : '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body: JSON.stringify(body),
      sse,
    };
  };

  const run = async (load: string, loadTarget: LoadTarget, durationSeconds: number): Promise<LoadResult> => {
    if (load.startsWith('c=')) {
      const connections = Number(load.slice(2));
      if (!loadTarget.sse) {
        const result = await autocannon({
          url: `${loadTarget.origin}${loadTarget.path}`,
          connections,
          duration: durationSeconds,
          method: 'POST',
          headers: loadTarget.headers,
          body: loadTarget.body,
        });
        return { rps: Math.round(result.requests.average), p50_ms: result.latency.p50, p99_ms: result.latency.p99, requests: result.requests.total, errors: result.errors + result.non2xx };
      }
      return closedLoop(loadTarget, connections, durationSeconds * 1000);
    }
    return openLoop(loadTarget, openLoopRate, durationSeconds * 1000);
  };

  /** A warm-up, then a measured run. */
  const warmedRun = async (load: string, loadTarget: LoadTarget): Promise<LoadResult> => {
    await run(load, loadTarget, warmupSeconds);
    return run(load, loadTarget, seconds);
  };
  /** A warm-up, then a run between the forked process's `reset` and its `report` (CPU, GC). */
  const measured = async <Report>(child: ChildProcess, load: string, loadTarget: LoadTarget): Promise<{ result: LoadResult; report: Report }> => {
    await run(load, loadTarget, warmupSeconds);
    await request(child, { type: 'reset' }, 'reset-done');
    const result = await run(load, loadTarget, seconds);
    return { result, report: await request<Report>(child, { type: 'report' }, 'report') };
  };

  const scenarios: Array<{ name: string; mode: 'json' | 'sse'; load: string }> = [
    { name: 'json, one connection', mode: 'json', load: 'c=1' },
    { name: `json, fixed concurrency ${concurrency}`, mode: 'json', load: `c=${concurrency}` },
    { name: `sse time to first byte, fixed concurrency ${concurrency}`, mode: 'sse', load: `c=${concurrency}` },
    { name: `json, open loop ${openLoopRate} req/s`, mode: 'json', load: `open-loop ${openLoopRate}/s` },
    { name: `sse time to first byte, open loop ${openLoopRate} req/s`, mode: 'sse', load: `open-loop ${openLoopRate}/s` },
  ];
  // BENCH_ONLY=json,sse or a scenario index list ("1,3") to run a subset while tuning.
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  const selected = only.length === 0 ? scenarios : scenarios.filter((scenario, index) => only.includes(String(index)) || only.includes(scenario.mode));
  const results: Array<Record<string, unknown>> = [];
  let gcTotalMs = 0;
  let gcWallMs = 0;
  // Each scenario runs `repeats` times, direct and router interleaved, and reports the median
  // run (by the router's p99), so one burst of other load on the machine does not decide it.
  const median = <T>(values: T[], key: (value: T) => number): T => [...values].sort((left, right) => key(left) - key(right))[Math.floor((values.length - 1) / 2)] as T;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  for (const scenario of selected) {
    const sse = scenario.mode === 'sse';
    const scenarioTicks = cpuTicks();
    const runs: Array<{ direct: LoadResult; native: LoadResult | null; bare: LoadResult; bareCpuMs: number; router: LoadResult; gc: GcReport }> = [];
    let redone = 0;
    for (let repeat = 0; repeat < repeats; repeat += 1) {
      const repeatTicks = cpuTicks();
      const direct = await warmedRun(scenario.load, target('direct', sse));
      const nativeResult = native ? await warmedRun(scenario.load, target('native', sse)) : null;
      const { result: bare, report: bareReport } = await measured<{ cpuMs: number }>(bareProcess, scenario.load, target('bare', sse));
      const bareCpuMs = bareReport.cpuMs;
      const { result: router, report: gc } = await measured<GcReport>(routerProcess, scenario.load, target('router', sse));
      // A repeat during which the hypervisor took more than `maxSteal` of the CPU measured the
      // neighbours, not the router: it is run again (at most `maxRedone` times per scenario).
      const steal = stealShare(repeatTicks);
      if (steal !== null && steal > maxSteal && redone < maxRedone) {
        redone += 1;
        console.error(`${scenario.name}: ${Math.round(steal * 100)} % of the CPU stolen during a repeat; running it again`);
        repeat -= 1;
        continue;
      }
      runs.push({ direct, native: nativeResult, bare, bareCpuMs, router, gc });
      gcTotalMs += gc.gcMs;
      gcWallMs += gc.wallMs;
    }
    // GC and CPU figures come from the router's median run (by p99); the rest are per-field medians.
    const { router, gc } = median(runs, (entry) => entry.router.p99_ms);
    const middle = (values: number[]): number => median(values, (value) => value);
    const summarize = (results: LoadResult[]) => ({
      rps: middle(results.map((result) => result.rps)),
      p50_ms: middle(results.map((result) => result.p50_ms)),
      p99_ms: middle(results.map((result) => result.p99_ms)),
    });
    const directSummary = summarize(runs.map((each) => each.direct));
    const bareSummary = summarize(runs.map((each) => each.bare));
    const nativeRuns = runs.flatMap((each) => (each.native ? [each.native] : []));
    const nativeSummary = nativeRuns.length > 0 ? summarize(nativeRuns) : null;
    const routerSummary = summarize(runs.map((each) => each.router));
    /** What a path adds to going direct: p50 and p99 latency, and its share of direct throughput. */
    const overDirect = (summary: ReturnType<typeof summarize>) => ({
      added_p50_ms: round(summary.p50_ms - directSummary.p50_ms),
      added_p99_ms: round(summary.p99_ms - directSummary.p99_ms),
      throughput_ratio: round(summary.rps / directSummary.rps),
    });
    const point = (result: LoadResult) => ({ rps: result.rps, p50_ms: result.p50_ms, p99_ms: result.p99_ms });
    const errors = (of: (each: (typeof runs)[number]) => LoadResult | null) => runs.reduce((sum, each) => sum + (of(each)?.errors ?? 0), 0);
    const entry = {
      name: scenario.name,
      mode: scenario.mode,
      load: scenario.load,
      direct: directSummary,
      router: routerSummary,
      ...overDirect(routerSummary),
      // The floor: a bare Node.js proxy (bare-proxy.ts) on the same machine, same load.
      bare_proxy: {
        ...bareSummary,
        ...overDirect(bareSummary),
        cpu_ms_per_request: round(middle(runs.map((each) => each.bareCpuMs / Math.max(1, each.bare.requests)))),
      },
      // The floor of any proxy: HAProxy forwarding the direct request (native-proxy.ts); null without haproxy.
      native_proxy: nativeSummary && { ...nativeSummary, ...overDirect(nativeSummary) },
      repeats: runs.length,
      runs: runs.map((each) => ({
        direct: point(each.direct),
        native_proxy: each.native && point(each.native),
        bare_proxy: point(each.bare),
        router: point(each.router),
      })),
      errors: { direct: errors((each) => each.direct), native_proxy: errors((each) => each.native), bare_proxy: errors((each) => each.bare), router: errors((each) => each.router) },
      router_gc_share: round(gc.gcMs / gc.wallMs),
      router_gc_pauses: gc.gcCount,
      router_gc_max_pause_ms: round(gc.gcMaxMs),
      router_major_gcs: gc.majorGcCount,
      // Event-loop delay in the router process (1 ms resolution timer): its own contribution to the tail.
      router_loop_delay_p99_ms: round(gc.loopDelayP99Ms),
      router_loop_delay_max_ms: round(gc.loopDelayMaxMs),
      router_cpu_share: round(gc.cpuMs / gc.wallMs),
      // CPU the router process spent per request: its overhead, robust to other load on the machine.
      router_cpu_ms_per_request: round(gc.cpuMs / Math.max(1, router.requests)),
      cpu_steal_share: stealShare(scenarioTicks),
      repeats_redone_for_steal: redone,
    };
    results.push(entry);
    console.log(JSON.stringify(entry));
  }

  const output = {
    scenarios: results,
    gc: { router_gc_share_under_load: Math.round((gcTotalMs / gcWallMs) * 10000) / 10000, gc_ms: Math.round(gcTotalMs), wall_ms: Math.round(gcWallMs) },
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memory_gb: Math.round(totalmem() / 2 ** 30),
      load_average_at_start: loadAtStart,
      load_average_at_end: loadavg().map((value) => Math.round(value * 100) / 100),
      // Share of CPU time the hypervisor gave to other guests during the run: on a shared VM
      // the figures above swing with it.
      cpu_steal_share: stealShare(),
    },
    node: process.version,
    native_proxy: native?.version ?? null,
    // What the router process ran with: its production flags (node-flags.ts), then any added for this run.
    router_node_flags: [...ROUTER_NODE_FLAGS, ...(process.env.BENCH_ROUTER_NODE_FLAGS ?? '').split(' ').filter(Boolean)],
    date: new Date().toISOString(),
    notes: `2 cores shared with other processes (see load averages); simulator zero-latency mode, ${seconds}s per run after ${warmupSeconds}s warm-up, ${repeats} runs per scenario (direct and router interleaved; medians, p99 of the median-p99 run); json c=N via autocannon, SSE and open-loop via evenly spaced undici requests (latency from the intended send time); SSE latency = time to first body byte; the router records every decision to Redis; bare_proxy = a bare Node.js proxy (node:http in, JSON parse and stringify, undici out: bare-proxy.ts), the floor of one more Node hop; native_proxy = HAProxy, one thread, forwarding the direct request over kept-alive connections (native-proxy.ts), the floor of one more hop in any language`,
  };
  if (only.length > 0) {
    console.log('subset run: bench/results/router.json left unchanged');
    return;
  }
  const outputDir = join(root, 'bench/results');
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(join(outputDir, 'router.json'), `${JSON.stringify(output, null, 2)}\n`);
  console.log(`wrote ${join(outputDir, 'router.json')}`);

}

const children: ChildProcess[] = [];
let benchPrefix: string | undefined;

async function cleanup(): Promise<void> {
  // The forked router and bare proxy are asked to stop (so `--cpu-prof` can write the router's
  // profile), then killed if they linger.
  const forked = children.filter((child) => child.connected);
  await Promise.all(
    forked.map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }),
  );
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  if (benchPrefix) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${benchPrefix}:*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
