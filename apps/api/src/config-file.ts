import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where the configuration came from, as far as re-applying the config file's routes cares. */
export interface ConfigFileSource {
  /** The file looked for: `SWITCHYARD_CONFIG`, else `./switchyard.config.json`, absolute. */
  path: string;
  /** Whether that file existed at start-up (so `config` holds what it says). */
  exists: boolean;
  /** Whether it declares `routes` (otherwise `config.routes` are the built-in defaults). */
  declaresRoutes: boolean;
}

/**
 * Which config file the process started with, found the way core's `loadConfig` finds it.
 * Read once at start-up, next to `loadConfig`, which has already validated the file.
 */
export function findConfigFile(env: Record<string, string | undefined>, cwd: string): ConfigFileSource {
  const path = resolve(cwd, env.SWITCHYARD_CONFIG ?? 'switchyard.config.json');
  if (!existsSync(path)) return { path, exists: false, declaresRoutes: false };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return { path, exists: true, declaresRoutes: Array.isArray(parsed.routes) };
}
