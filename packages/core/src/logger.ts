import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** One logger per process; children carry the component name. */
export function createLogger(level: LoggerOptions['level'] = 'info', name?: string): Logger {
  return pino({
    level,
    ...(name ? { name } : {}),
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.apiKey', '*.authorization', 'headers.authorization', '*.headers["x-api-key"]'], censor: '[redacted]' },
  });
}
