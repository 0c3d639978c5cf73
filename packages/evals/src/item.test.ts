import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalJson, datasetVersionId, itemContentJson, type EvalItem } from './item';
import { parseDataset } from './parse';

const here = dirname(fileURLToPath(import.meta.url));

describe('canonical item JSON', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('the hand-written item serialization equals canonicalJson of the item without id', async () => {
    const dirs = [join(here, '../../../datasets'), join(here, 'fixtures')];
    let checked = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir)) {
        if (!/\.(jsonl|csv|tsv|yaml)$/.test(name)) continue;
        const parsed = await parseDataset(readFileSync(join(dir, name)), { filename: name });
        for (const item of parsed.items) {
          const { id: _id, ...content } = item;
          expect(itemContentJson(item)).toBe(canonicalJson(content));
          checked += 1;
        }
        expect(datasetVersionId(parsed.items)).toBe(parsed.versionId);
      }
    }
    expect(checked).toBeGreaterThan(800);
    const unusual = { input: [{ role: 'user', content: 'x' }], ideal: [], grader: 'json', graderOptions: { b: 1, a: 2 }, category: 'c', extra: 1 } as unknown as EvalItem;
    const { id: _id, ...content } = unusual;
    expect(itemContentJson(unusual)).toBe(canonicalJson(content));
  });
});
