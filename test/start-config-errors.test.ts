import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Run the launcher with a given environment; it must refuse before starting anything. */
function start(env: Record<string, string>, configText?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bad-config-'));
  const extra: Record<string, string> = { SWITCHYARD_DATA_DIR: join(dir, 'data') };
  if (configText !== undefined) {
    writeFileSync(join(dir, 'switchyard.config.json'), configText);
    extra.SWITCHYARD_CONFIG = join(dir, 'switchyard.config.json');
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...extra, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe('npm start refuses bad configuration with one line naming the setting', () => {
  it('a malformed URL in the environment', () => {
    const result = start({ DATABASE_URL: 'postgres//nope' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('switchyard: invalid setting DATABASE_URL (databaseUrl): must be a valid URL');
  });

  it('a malformed JSON config file', () => {
    const result = start({}, '{"providers": [ {"id": "a" ');
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^switchyard: config file .*switchyard\.config\.json: malformed JSON/);
  });

  it('an unknown provider type', () => {
    const result = start({}, JSON.stringify({ providers: [{ id: 'acme', type: 'acme-ai' }] }));
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^switchyard: invalid setting providers\[0\]\.type: unknown provider type "acme-ai" \(known: openai, /);
  });

  it('a bad port', () => {
    const result = start({ SWITCHYARD_ROUTER_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^switchyard: invalid setting SWITCHYARD_ROUTER_PORT \(router\.port\): /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
