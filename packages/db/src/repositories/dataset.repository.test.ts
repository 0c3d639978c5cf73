import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  datasetNamesAndCategories,
  getDataset,
  getDatasetVersion,
  listDatasetItemsPage,
  listDatasets,
  loadDatasetItems,
  saveDatasetVersion,
  softDeleteDataset,
  type DatasetItemInput,
} from './dataset.repository';

const item = (index: number, extra: Partial<DatasetItemInput> = {}): DatasetItemInput => ({
  id: `q${index}`,
  input: [{ role: 'user', content: `Question ${index}? <script>alert(1)</script> "quoted" \\ back {braces,} NULL 😀` }],
  ideal: [`${index}`],
  grader: 'numeric',
  graderOptions: {},
  category: index % 2 === 0 ? 'math' : 'code',
  contentHash: `hash-${index}`,
  ...extra,
});
const items = (count: number) => Array.from({ length: count }, (_, index) => item(index));
const upload = (name: string, versionId: string, list: DatasetItemInput[], extra: Record<string, unknown> = {}) => ({
  name,
  versionId,
  format: 'jsonl',
  filename: `${name}.jsonl`,
  report: { items: list.length },
  items: list,
  ...extra,
});

describe('dataset repository', { timeout: 30_000 }, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });

  it('stores a version with its items in order, and the same version again is a no-op', async () => {
    const first = await saveDatasetVersion(test.db, upload('arith', 'v-arith-1', items(2500)));
    expect(first.created).toBe(true);
    expect(first.version).toMatchObject({ id: 'v-arith-1', item_count: 2500, categories: ['code', 'math'], format: 'jsonl' });
    const again = await saveDatasetVersion(test.db, upload('renamed', 'v-arith-1', items(2500)));
    expect(again.created).toBe(false);
    expect(again.dataset.id).toBe(first.dataset.id);
    const count = await test.db.selectFrom('dataset_items').select((eb) => eb.fn.countAll<string>().as('n')).where('version_id', '=', 'v-arith-1').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2500);

    const loaded = await loadDatasetItems(test.db, 'v-arith-1');
    expect(loaded).toHaveLength(2500);
    expect(loaded[2499]).toEqual({ ...item(2499), position: 2499 });
    expect(loaded[0]!.input[0]!.content).toContain('<script>alert(1)</script>');
    const page = await listDatasetItemsPage(test.db, 'v-arith-1', { limit: 3, offset: 10 });
    expect(page.map((entry) => entry.id)).toEqual(['q10', 'q11', 'q12']);
  });

  it('a new upload under a live name adds a version; list shows the latest', async () => {
    const first = await saveDatasetVersion(test.db, upload('trivia', 'v-trivia-1', items(3)));
    const second = await saveDatasetVersion(test.db, upload('trivia', 'v-trivia-2', [...items(3), item(3, { grader: 'choice', choices: ['a', 'b'], meta: { k: 1 } })]));
    expect(second.created).toBe(true);
    expect(second.dataset.id).toBe(first.dataset.id);
    const found = await getDataset(test.db, first.dataset.id);
    expect(found?.versions.map((version) => version.id)).toEqual(['v-trivia-2', 'v-trivia-1']);
    expect(found?.dataset.latestVersion).toMatchObject({ id: 'v-trivia-2', itemCount: 4 });
    const listed = await listDatasets(test.db, { limit: 100 });
    expect(listed.rows.find((row) => row.name === 'trivia')).toMatchObject({ versionCount: 2, latestVersion: { id: 'v-trivia-2' } });
    expect(listed.total).toBeGreaterThanOrEqual(2);
    const stored = await loadDatasetItems(test.db, 'v-trivia-2');
    expect(stored[3]).toMatchObject({ choices: ['a', 'b'], meta: { k: 1 }, grader: 'choice' });
    expect(await getDataset(test.db, 'not-a-uuid')).toBeUndefined();
  });

  it('soft delete hides the dataset, frees its name and keeps eval results', async () => {
    const saved = await saveDatasetVersion(test.db, upload('doomed', 'v-doomed-1', items(2)));
    const run = await test.db
      .insertInto('eval_runs')
      .values({ dataset_version_id: 'v-doomed-1', models: ['m/a'], settings: '{}', settings_hash: 's' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await test.db
      .insertInto('eval_results')
      .values({ run_id: run.id, dataset_version_id: 'v-doomed-1', item_id: 'q0', model_id: 'm/a', category: 'math', settings_hash: 's', score: 1 })
      .execute();

    expect(await softDeleteDataset(test.db, saved.dataset.id)).toBe(true);
    expect(await softDeleteDataset(test.db, saved.dataset.id)).toBe(false);
    expect(await getDataset(test.db, saved.dataset.id)).toBeUndefined();
    expect(await getDataset(test.db, saved.dataset.id, { includeDeleted: true })).toBeDefined();
    expect((await listDatasets(test.db, { limit: 100 })).rows.map((row) => row.name)).not.toContain('doomed');
    const results = await test.db.selectFrom('eval_results').select('score').where('dataset_version_id', '=', 'v-doomed-1').execute();
    expect(results).toEqual([{ score: 1 }]);
    expect(await getDatasetVersion(test.db, 'v-doomed-1')).toBeDefined();

    // Bundled registration leaves the deletion alone; a user re-upload restores it.
    const bundled = await saveDatasetVersion(test.db, upload('doomed', 'v-doomed-1', items(2), { restoreDeleted: false, source: 'bundled' }));
    expect(bundled.created).toBe(false);
    expect(bundled.dataset.deleted_at).not.toBeNull();
    const restored = await saveDatasetVersion(test.db, upload('doomed', 'v-doomed-1', items(2)));
    expect(restored.dataset.deleted_at).toBeNull();
    expect(await getDataset(test.db, saved.dataset.id)).toBeDefined();
  });

  it('names the live datasets and their categories only, not those of a deleted dataset', async () => {
    await saveDatasetVersion(test.db, upload('geology-kept', 'v-kept-1', [item(0, { category: 'geology' })]));
    const retired = await saveDatasetVersion(test.db, upload('geology-retired', 'v-retired-1', [item(0, { category: 'geology' }), item(1, { category: 'poetry' })]));
    const before = await datasetNamesAndCategories(test.db);
    expect(before.names).toEqual(expect.arrayContaining(['geology-kept', 'geology-retired']));
    expect(before.categories).toEqual(expect.arrayContaining(['geology', 'poetry']));

    expect(await softDeleteDataset(test.db, retired.dataset.id)).toBe(true);
    const after = await datasetNamesAndCategories(test.db);
    expect(after.names).toContain('geology-kept');
    expect(after.names).not.toContain('geology-retired');
    // A category a live dataset shares stays; one only the deleted dataset had goes.
    expect(after.categories).toContain('geology');
    expect(after.categories).not.toContain('poetry');
    expect(after.categories).toEqual([...new Set(after.categories)].sort());
  });

  it('concurrent uploads of the same file store one version', async () => {
    const outcomes = await Promise.all([1, 2, 3].map(() => saveDatasetVersion(test.db, upload('race', 'v-race-1', items(50)))));
    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.dataset.id)).size).toBe(1);
    const renamed = await Promise.all(['race-a', 'race-b'].map((name) => saveDatasetVersion(test.db, upload(name, 'v-race-2', items(20)))));
    expect(renamed.filter((outcome) => outcome.created)).toHaveLength(1);
  });
});
