import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const colors: Record<string, string> = { simulator: '35', api: '36', router: '32', worker: '33' };

/** Print a child's pino JSON lines as `[name] LEVEL message key=value`, other lines as they are. */
export function prefixLines(stream: Readable, name: string, out: Writable): void {
  const color = process.stdout.isTTY ? (colors[name] ?? '37') : undefined;
  const tag = color ? `\u001b[${color}m[${name}]\u001b[0m` : `[${name}]`;
  createInterface({ input: stream }).on('line', (line) => {
    out.write(`${tag} ${formatLine(line)}\n`);
  });
}

export function formatLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const { level, msg, time: _time, name: _name, pid: _pid, hostname: _hostname, ...rest } = record;
    const extras = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    return `${levels[Number(level)] ?? 'INFO'} ${String(msg ?? '')}${extras ? ` ${extras}` : ''}`;
  } catch {
    return line;
  }
}
