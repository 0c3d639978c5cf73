/**
 * Run `shutdown` once, on the first SIGTERM or SIGINT. Other handlers are removed first: the
 * embedded database's library installs exit hooks that would end the process at once and cut
 * a graceful drain short (the caller's shutdown closes the database itself).
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let started = false;
  const handle = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutdown(signal);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, handle);
  }
}
