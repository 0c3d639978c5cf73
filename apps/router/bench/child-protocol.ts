/**
 * The messages a forked benchmark process (router-process.ts, bare-proxy.ts) answers, over its
 * IPC channel with router-bench.ts: `reset` starts a measured window, `report` sends the wall
 * and CPU time since then with the process's own figures, `stop` shuts it down. It announces
 * itself with `ready` and its URL.
 */
import { performance } from 'node:perf_hooks';

export interface MeasuredProcess {
  url: string;
  /** Clears the process's own counters when a measured window starts. */
  reset?: () => void;
  /** The process's own figures for the window, sent with its wall and CPU time. */
  report?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  stop: () => Promise<void>;
}

export function answerBenchParent(measured: MeasuredProcess): void {
  let startedAt = performance.now();
  let cpuStart = process.cpuUsage();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'reset') {
      measured.reset?.();
      startedAt = performance.now();
      cpuStart = process.cpuUsage();
      process.send?.({ type: 'reset-done' });
    } else if (message.type === 'report') {
      const cpu = process.cpuUsage(cpuStart);
      const wallMs = performance.now() - startedAt;
      void Promise.resolve(measured.report?.()).then((own) => process.send?.({ type: 'report', ...own, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
    } else if (message.type === 'stop') {
      void measured.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', url: measured.url });
}
