import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { findApiKeyByHash, hashApiKey, publishPolicy, seedRoutes, syncCatalog } from '@switchyard/db';
import { createTestDatabase, type TestDatabase } from '@switchyard/db/testing';
import { parsePolicyDocument, policyHash } from '@switchyard/policy';
import { keysCreate, keysList, keysRevoke, policyExport, policyShow } from './commands';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../packages/policy/src/fixtures/policy-v1.json'), 'utf8')) as Record<string, unknown>;

describe('switchyard CLI commands', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });

  it('says so when nothing is published yet', async () => {
    await expect(policyExport(test.db, {})).rejects.toThrow(/no policy has been published yet/);
  });

  it('exports the current policy as canonical JSON, LiteLLM and Portkey', async () => {
    const document = parsePolicyDocument(fixture);
    const hash = policyHash(document);
    await publishPolicy(test.db, { hash, schemaVersion: 1, parentHash: null, document, createdBy: 'test' });

    const json = JSON.parse(await policyExport(test.db, { format: 'json' })) as Record<string, unknown>;
    expect(policyHash(json)).toBe(hash);

    const out = join(mkdtempSync(join(tmpdir(), 'sy-cli-')), 'litellm.yaml');
    expect(await policyExport(test.db, { format: 'litellm', out })).toMatch(/^wrote .*litellm\.yaml/);
    const litellm = parseYaml(readFileSync(out, 'utf8')) as { model_list: unknown[] };
    expect(litellm.model_list.length).toBeGreaterThan(0);

    // With the catalog, each deployment is reached as Switchyard reaches it.
    const model = (id: string, providerId: string, upstreamName: string) => ({
      id,
      providerId,
      upstreamName,
      displayName: upstreamName,
      price: { inputPerMTok: 1, outputPerMTok: 2 },
      priceSource: 'config',
      capabilities: {},
      enabled: true,
    });
    await syncCatalog(
      test.db,
      [
        { id: 'sim-openai', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:7072/openai/v1' },
        { id: 'sim-anthropic', type: 'anthropic', baseUrl: 'http://127.0.0.1:7072/anthropic' },
      ],
      [model('sim-openai/swift-mini', 'sim-openai', 'swift-mini'), model('sim-anthropic/sage-pro', 'sim-anthropic', 'sage-pro')],
    );
    const deployed = parseYaml(await policyExport(test.db, { format: 'litellm' })) as { model_list: Array<{ model_name: string; litellm_params: Record<string, unknown> }> };
    expect(deployed.model_list.filter((entry) => entry.model_name === 'auto').map((entry) => [entry.litellm_params.model, entry.litellm_params.api_base])).toEqual([
      ['openai/swift-mini', 'http://127.0.0.1:7072/openai/v1'],
      ['anthropic/sage-pro', 'http://127.0.0.1:7072/anthropic'],
    ]);

    const portkey = JSON.parse(await policyExport(test.db, { format: 'portkey' })) as Record<string, unknown>;
    expect(JSON.stringify(portkey)).not.toMatch(/sk-|apiKey"\s*:\s*"[^{]/);
    await expect(policyExport(test.db, { format: 'xml' })).rejects.toThrow(/--format must be one of json, litellm, portkey/);

    const shown = await policyShow(test.db, {});
    expect(shown).toContain(`policy ${hash.slice(0, 12)}`);
    expect(shown).toMatch(/general\s+sim-openai\/swift-mini 80\.0%, sim-anthropic\/sage-pro 20\.0%/);
  });

  it('exports the Portkey config of the route given with --route', async () => {
    const document = parsePolicyDocument(fixture);
    document.routes.cheap = structuredClone(document.routes.auto!);
    document.routes.cheap.categories.general!.models = document.routes.cheap.categories.general!.models.map((entry, index) => ({ ...entry, weight: index === 0 ? 0 : 1 }));
    const hash = policyHash(document);
    await publishPolicy(test.db, { hash, schemaVersion: 1, parentHash: null, document, createdBy: 'test' });
    const balanced = (text: string) =>
      (JSON.parse(text) as { targets: Array<{ targets?: Array<{ override_params: { model: string } }> }> }).targets[0]!.targets!.map((target) => target.override_params.model);

    expect(balanced(await policyExport(test.db, { format: 'portkey', hash }))).toEqual(['swift-mini', 'sage-pro']);
    expect(balanced(await policyExport(test.db, { format: 'portkey', route: 'cheap', hash }))).toEqual(['sage-pro']);
    expect(balanced(await policyExport(test.db, { format: 'portkey', route: 'auto:cheap', hash }))).toEqual(['sage-pro']);
    const out = join(mkdtempSync(join(tmpdir(), 'sy-cli-')), 'portkey.json');
    expect(await policyExport(test.db, { format: 'portkey', route: 'cheap', hash, out })).toMatch(/, portkey, route cheap\)$/);
    await expect(policyExport(test.db, { format: 'portkey', route: 'fast', hash })).rejects.toThrow('the policy has no route "fast"; its routes are auto, cheap');
    await expect(policyExport(test.db, { format: 'litellm', route: 'cheap', hash })).rejects.toThrow(/--route applies to --format portkey only \(litellm exports every route\)/);
    const litellm = parseYaml(await policyExport(test.db, { format: 'litellm', hash })) as { model_list: Array<{ model_name: string }> };
    expect(litellm.model_list.map((entry) => entry.model_name)).toEqual(expect.arrayContaining(['auto', 'auto:cheap']));
  });

  it('takes a unique hash prefix for --hash; an ambiguous one lists the matches, an unknown one says so', async () => {
    const document = parsePolicyDocument(fixture);
    const [first, second] = ['2456949fc6' + 'a'.repeat(54), '2456949fd7' + 'b'.repeat(54)];
    for (const hash of [first, second]) await publishPolicy(test.db, { hash, schemaVersion: 1, parentHash: null, document, createdBy: 'test' });

    expect(await policyShow(test.db, { hash: '2456949fc6' })).toContain(`policy ${first.slice(0, 12)}`);
    expect(await policyShow(test.db, { hash: '2456949FD7' })).toContain(`policy ${second.slice(0, 12)}`);
    expect(JSON.parse(await policyExport(test.db, { format: 'json', hash: '2456949fd7b' }))).toMatchObject({ schemaVersion: 1 });
    await expect(policyShow(test.db, { hash: '2456949f' })).rejects.toThrow(
      `Policy hash prefix 2456949f is ambiguous: it matches ${second.slice(0, 16)}, ${first.slice(0, 16)}. Give more characters.`,
    );
    await expect(policyExport(test.db, { hash: '2456949f' })).rejects.toThrow(/ambiguous/);
    await expect(policyShow(test.db, { hash: '2456949fe8' })).rejects.toThrow('no policy version 2456949fe8');
  });

  it('creates, lists and revokes API keys; the key is stored only as a hash', async () => {
    const output = await keysCreate(test.db, { name: 'ci', routes: 'auto,cheap', rateLimit: '120' });
    const key = output.split('\n')[1] ?? '';
    expect(key).toMatch(/^sy-/);
    const row = await findApiKeyByHash(test.db, hashApiKey(key));
    expect(row?.routes).toEqual(['auto', 'cheap']);
    expect(row?.rate_limit_per_min).toBe(120);
    expect(await keysList(test.db)).toContain('ci');
    expect(await keysList(test.db)).not.toContain(key);
    await expect(keysCreate(test.db, { name: 'x', rateLimit: '-1' })).rejects.toThrow(/--rate-limit/);
    expect(await keysRevoke(test.db, row?.id)).toBe(`revoked ${row?.id}`);
    await expect(keysRevoke(test.db, row?.id)).rejects.toThrow(/no active API key/);
  });

  it('refuses a key for a route or model that does not exist, as the API does', async () => {
    await seedRoutes(test.db, [{ name: 'auto', candidates: [], objective: { quality: 1, cost: 0.3, latency: 0.1 }, constraints: {} }]);
    await expect(keysCreate(test.db, { name: 'typo', routes: 'auto,cheep' })).rejects.toThrow('Unknown route: cheep. Configured routes: auto');
    await expect(keysCreate(test.db, { name: 'typo', models: 'nope/none' })).rejects.toThrow(/^Unknown model: nope\/none\. Configured models: /);
    expect(await keysList(test.db)).not.toContain('typo');
  });
});
