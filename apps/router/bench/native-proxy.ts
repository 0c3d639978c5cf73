/**
 * A second floor for the router's figures: HAProxy (C, epoll, one thread) forwarding the direct
 * request to the simulator over kept-alive connections, with no body parsing at all. Where the
 * bare Node.js proxy (bare-proxy.ts) is the least a Node process can add, this is the least any
 * proxy adds on the machine: one more process and one more loopback hop. Started only when an
 * `haproxy` binary is found (`BENCH_HAPROXY`, else on PATH); the benchmark runs without it otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The haproxy binary to use and its version line, or null when there is none. */
export function findHaproxy(): { binary: string; version: string } | null {
  const binary = process.env.BENCH_HAPROXY ?? 'haproxy';
  const probe = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  return probe.status === 0 ? { binary, version: (probe.stdout.split('\n')[0] ?? '').trim() } : null;
}

/** Starts HAProxy in front of `upstreamPort`, listening on `port`. */
export function startNativeProxy(binary: string, port: number, upstreamPort: number): ChildProcess {
  const configFile = join(tmpdir(), `switchyard-bench-haproxy-${process.pid}.cfg`);
  writeFileSync(
    configFile,
    [
      'global',
      '  nbthread 1',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  option http-keep-alive',
      '  http-reuse always',
      'frontend bench',
      `  bind 127.0.0.1:${port}`,
      '  default_backend simulator',
      'backend simulator',
      `  server simulator 127.0.0.1:${upstreamPort} maxconn 512`,
      '',
    ].join('\n'),
  );
  // -db: stay in the foreground, so stopping the benchmark stops it.
  const child = spawn(binary, ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.once('exit', () => rmSync(configFile, { force: true }));
  return child;
}
