import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile } from './config-file';

describe('findConfigFile', () => {
  const directory = () => mkdtempSync(join(tmpdir(), 'sy-config-'));

  it('looks for ./switchyard.config.json, or SWITCHYARD_CONFIG relative to the working directory', () => {
    const cwd = directory();
    expect(findConfigFile({}, cwd)).toEqual({ path: join(cwd, 'switchyard.config.json'), exists: false, declaresRoutes: false });
    writeFileSync(join(cwd, 'switchyard.config.json'), JSON.stringify({ routes: [{ name: 'auto' }] }));
    expect(findConfigFile({}, cwd)).toEqual({ path: join(cwd, 'switchyard.config.json'), exists: true, declaresRoutes: true });
    writeFileSync(join(cwd, 'other.json'), JSON.stringify({ logLevel: 'warn' }));
    expect(findConfigFile({ SWITCHYARD_CONFIG: 'other.json' }, cwd)).toEqual({ path: join(cwd, 'other.json'), exists: true, declaresRoutes: false });
  });
});
