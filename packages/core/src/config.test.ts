import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadConfigWithSource } from './config';

const noFile = () => ({ cwd: mkdtempSync(join(tmpdir(), 'sy-config-')) });
const local = { SWITCHYARD_API_AUTH: 'off' };

describe('loadConfig', () => {
  it('applies defaults and environment overrides', () => {
    const config = loadConfig({ ...noFile(), env: { ...local, REDIS_URL: 'redis://127.0.0.1:6390', SWITCHYARD_ROUTER_PORT: '9000' } });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6390');
    expect(config.router.port).toBe(9000);
    expect(config.routes.map((route) => route.name)).toEqual(['auto', 'cheap', 'quality', 'fast']);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('names the variable of a bad URL in one line', () => {
    expect(() => loadConfig({ ...noFile(), env: { ...local, DATABASE_URL: 'not a url' } })).toThrowError(
      /^invalid setting DATABASE_URL \(databaseUrl\): must be a valid URL$/,
    );
  });

  it('rejects malformed JSON in the config file', () => {
    const { cwd } = noFile();
    writeFileSync(join(cwd, 'switchyard.config.json'), '{"providers": [');
    const attempt = () => loadConfig({ cwd, env: local });
    expect(attempt).toThrowError(ConfigError);
    expect(attempt).toThrowError(/switchyard\.config\.json: malformed JSON/);
  });

  it('rejects an unknown provider type, naming the setting', () => {
    const { cwd } = noFile();
    writeFileSync(join(cwd, 'switchyard.config.json'), JSON.stringify({ providers: [{ id: 'x', type: 'nope' }] }));
    expect(() => loadConfig({ cwd, env: local, knownProviderTypes: ['openai', 'anthropic'] })).toThrowError(
      'invalid setting providers[0].type: unknown provider type "nope" (known: openai, anthropic)',
    );
  });

  it('enables a preset when its key is in the environment', () => {
    const config = loadConfig({
      ...noFile(),
      env: { ...local, OPENAI_API_KEY: 'sk-test' },
      envProviderPresets: [{ type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' }],
    });
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0]).toMatchObject({ id: 'openai', type: 'openai', apiKey: 'sk-test' });
  });

  it('requires an admin token when admin auth is on', () => {
    expect(() => loadConfig({ ...noFile(), env: {} })).toThrowError(/SWITCHYARD_ADMIN_TOKEN is required/);
  });

  it('rejects a model whose provider is not configured', () => {
    const { cwd } = noFile();
    writeFileSync(join(cwd, 'switchyard.config.json'), JSON.stringify({ models: [{ id: 'ghost/model-1' }] }));
    expect(() => loadConfig({ cwd, env: local })).toThrowError(/models\[0\]\.id: provider "ghost"/);
  });
});

describe('loadConfigWithSource', () => {
  it('says which config file it looked for, whether it existed and whether it declares routes', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-config-source-'));
    const env = { SWITCHYARD_API_AUTH: 'off' };
    expect(loadConfigWithSource({ cwd, env }).source).toEqual({ path: join(cwd, 'switchyard.config.json'), exists: false, declaresRoutes: false });
    writeFileSync(join(cwd, 'switchyard.config.json'), JSON.stringify({ routes: [{ name: 'auto' }] }));
    expect(loadConfigWithSource({ cwd, env }).source).toEqual({ path: join(cwd, 'switchyard.config.json'), exists: true, declaresRoutes: true });
    writeFileSync(join(cwd, 'other.json'), JSON.stringify({ logLevel: 'warn' }));
    const other = loadConfigWithSource({ cwd, env: { ...env, SWITCHYARD_CONFIG: 'other.json' } });
    expect(other.source).toEqual({ path: join(cwd, 'other.json'), exists: true, declaresRoutes: false });
    expect(other.config.logLevel).toBe('warn');
  });
});
