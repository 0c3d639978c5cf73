import { sql } from 'kysely';
import { SwitchyardError } from '@switchyard/core';
import type { Db } from '../database';
import type { DatasetItemRow, DatasetRow, DatasetVersionRow } from '../tables/dataset.table';

/** Advisory lock class for dataset writes (second key: hash of the dataset name). */
const DATASET_LOCK = 7_310_002;
/** Rows per insert statement (each column is sent as one array parameter). */
const INSERT_BATCH = 5000;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An item to store; the same shape as `EvalItem` of @switchyard/evals plus its content hash. */
export interface DatasetItemInput {
  id: string;
  input: Array<{ role: string; content: string }>;
  ideal: string[];
  grader: string;
  graderOptions: Record<string, unknown>;
  category: string;
  choices?: string[];
  meta?: Record<string, unknown>;
  contentHash: string;
}

/** A stored item, shaped like `EvalItem` (parse with `evalItemSchema` for the grader's type). */
export interface StoredDatasetItem extends DatasetItemInput {
  position: number;
}

export interface SaveDatasetVersionInput {
  name: string;
  description?: string | null;
  source?: 'upload' | 'bundled';
  license?: string | null;
  /** Content hash of the canonical items (`versionId` from parseDataset). */
  versionId: string;
  format: string;
  filename?: string | null;
  report: Record<string, unknown>;
  items: readonly DatasetItemInput[];
  /**
   * When the version exists under a soft-deleted dataset: true (uploads) restores that
   * dataset; false (bundled registration) leaves the user's deletion alone.
   */
  restoreDeleted?: boolean;
  /**
   * The caller chose `name` (it is not just the file's name): when the content is already
   * stored as a dataset of another name, saving is a conflict (409) naming that dataset,
   * instead of answering with it as if the name had been used.
   */
  nameChosen?: boolean;
}

export interface SaveDatasetVersionOutcome {
  /** False when the version already existed: nothing was written. */
  created: boolean;
  dataset: DatasetRow;
  version: DatasetVersionRow;
}

export interface DatasetSummary {
  id: string;
  name: string;
  description: string | null;
  source: string;
  license: string | null;
  createdAt: Date;
  deletedAt: Date | null;
  versionCount: number;
  latestVersion: { id: string; itemCount: number; categories: string[]; format: string; filename: string | null; createdAt: Date } | null;
}

const toItemRow = (versionId: string, item: DatasetItemInput, position: number) => ({
  version_id: versionId,
  item_id: item.id,
  position,
  input: JSON.stringify(item.input),
  ideal: JSON.stringify(item.ideal),
  grader: item.grader,
  grader_options: Object.keys(item.graderOptions).length > 0 ? JSON.stringify(item.graderOptions) : null,
  category: item.category,
  choices: item.choices ? JSON.stringify(item.choices) : null,
  meta: item.meta ? JSON.stringify(item.meta) : null,
  content_hash: item.contentHash,
});

export function toStoredItem(row: DatasetItemRow): StoredDatasetItem {
  return {
    id: row.item_id,
    input: row.input as StoredDatasetItem['input'],
    ideal: row.ideal as string[],
    grader: row.grader,
    graderOptions: row.grader_options ?? {},
    category: row.category,
    ...(row.choices ? { choices: row.choices } : {}),
    ...(row.meta ? { meta: row.meta } : {}),
    contentHash: row.content_hash,
    position: row.position,
  };
}

/**
 * Store a parsed upload as a dataset version, in one transaction. The version id is the
 * content hash and a version belongs to one dataset, so storing the same items again is a
 * no-op returning the existing version — under another name too, unless that name was
 * chosen (`nameChosen`): then it is a conflict naming the dataset that holds the content.
 * A new name creates the dataset; an existing live name gets a new version.
 */
export async function saveDatasetVersion(db: Db, input: SaveDatasetVersionInput): Promise<SaveDatasetVersionOutcome> {
  return db.transaction().execute(async (trx) => {
    // Name first, then version: a consistent order, so two uploads cannot deadlock.
    await sql`select pg_advisory_xact_lock(${DATASET_LOCK}, hashtext(${input.name}))`.execute(trx);
    await sql`select pg_advisory_xact_lock(${DATASET_LOCK + 1}, hashtext(${input.versionId}))`.execute(trx);
    const existing = await trx.selectFrom('dataset_versions').selectAll().where('id', '=', input.versionId).executeTakeFirst();
    if (existing) {
      let dataset = await trx.selectFrom('datasets').selectAll().where('id', '=', existing.dataset_id).executeTakeFirstOrThrow();
      if (input.nameChosen && dataset.name !== input.name) {
        const where = dataset.deleted_at
          ? `dataset "${dataset.name}", since deleted (upload it as "${dataset.name}" or without a name to restore it)`
          : `dataset "${dataset.name}" (id ${dataset.id})`;
        throw new SwitchyardError(
          'conflict',
          `Nothing was stored as "${input.name}": the same content is already version ${existing.id.slice(0, 12)} of ${where}, and a version belongs to one dataset. Evaluate that dataset, or change the file to make a new version`,
          { param: 'name' },
        );
      }
      if (dataset.deleted_at && input.restoreDeleted !== false) {
        const clash = await trx.selectFrom('datasets').select('id').where('name', '=', dataset.name).where('deleted_at', 'is', null).executeTakeFirst();
        if (clash) {
          throw new SwitchyardError('conflict', `This file was uploaded before as dataset "${dataset.name}", since deleted, and that name is now taken`);
        }
        dataset = await trx.updateTable('datasets').set({ deleted_at: null }).where('id', '=', dataset.id).returningAll().executeTakeFirstOrThrow();
      }
      return { created: false, dataset, version: existing };
    }
    const dataset =
      (await trx.selectFrom('datasets').selectAll().where('name', '=', input.name).where('deleted_at', 'is', null).executeTakeFirst()) ??
      (await trx
        .insertInto('datasets')
        .values({ name: input.name, description: input.description ?? null, source: input.source ?? 'upload', license: input.license ?? null })
        .returningAll()
        .executeTakeFirstOrThrow());
    const categories = [...new Set(input.items.map((item) => item.category))].sort();
    const version = await trx
      .insertInto('dataset_versions')
      .values({
        id: input.versionId,
        dataset_id: dataset.id,
        item_count: input.items.length,
        categories,
        format: input.format,
        filename: input.filename ?? null,
        report: JSON.stringify(input.report),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (let start = 0; start < input.items.length; start += INSERT_BATCH) {
      const rows = input.items.slice(start, start + INSERT_BATCH).map((item, offset) => toItemRow(input.versionId, item, start + offset));
      const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
      // One array parameter per column (unnest) instead of one parameter per cell: far fewer
      // parameters to bind, several times faster for large uploads.
      await sql`
        insert into dataset_items (version_id, item_id, position, input, ideal, grader, grader_options, category, choices, meta, content_hash)
        select * from unnest(
          ${column('version_id')}::text[], ${column('item_id')}::text[], ${column('position')}::int[],
          ${column('input')}::jsonb[], ${column('ideal')}::jsonb[], ${column('grader')}::text[],
          ${column('grader_options')}::jsonb[], ${column('category')}::text[], ${column('choices')}::jsonb[],
          ${column('meta')}::jsonb[], ${column('content_hash')}::text[]
        )`.execute(trx);
    }
    return { created: true, dataset, version };
  });
}

/** Live datasets (newest first), each with its latest version. */
export async function listDatasets(
  db: Db,
  options: { limit?: number; offset?: number; includeDeleted?: boolean } = {},
): Promise<{ rows: DatasetSummary[]; total: number }> {
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  let query = db.selectFrom('datasets');
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  const [datasets, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const ids = datasets.map((dataset) => dataset.id);
  const versions =
    ids.length === 0
      ? []
      : await db.selectFrom('dataset_versions').selectAll().where('dataset_id', 'in', ids).orderBy('created_at', 'desc').execute();
  return { rows: datasets.map((dataset) => summarize(dataset, versions.filter((version) => version.dataset_id === dataset.id))), total: Number(count.total) };
}

function summarize(dataset: DatasetRow, versions: DatasetVersionRow[]): DatasetSummary {
  const latest = versions[0];
  return {
    id: dataset.id,
    name: dataset.name,
    description: dataset.description,
    source: dataset.source,
    license: dataset.license,
    createdAt: dataset.created_at,
    deletedAt: dataset.deleted_at,
    versionCount: versions.length,
    latestVersion: latest
      ? { id: latest.id, itemCount: latest.item_count, categories: latest.categories, format: latest.format, filename: latest.filename, createdAt: latest.created_at }
      : null,
  };
}

/**
 * The names of the live datasets and every category their versions hold (for validating
 * filters). A deleted dataset's categories are left out, as the leaderboard leaves out its
 * results: a category only it had is unknown.
 */
export async function datasetNamesAndCategories(db: Db): Promise<{ names: string[]; categories: string[] }> {
  const [datasets, categories] = await Promise.all([
    db.selectFrom('datasets').select('name').where('deleted_at', 'is', null).orderBy('name').execute(),
    db
      .selectFrom('dataset_versions')
      .innerJoin('datasets', 'datasets.id', 'dataset_versions.dataset_id')
      .where('datasets.deleted_at', 'is', null)
      .select(sql<string>`unnest(dataset_versions.categories)`.as('category'))
      .distinct()
      .execute(),
  ]);
  return { names: datasets.map((row) => row.name), categories: categories.map((row) => row.category).sort() };
}

/** One dataset (live only unless `includeDeleted`) with its versions, newest first. */
export async function getDataset(
  db: Db,
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<{ dataset: DatasetSummary; versions: DatasetVersionRow[] } | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  let query = db.selectFrom('datasets').selectAll().where('id', '=', id);
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  const dataset = await query.executeTakeFirst();
  if (!dataset) return undefined;
  const versions = await db.selectFrom('dataset_versions').selectAll().where('dataset_id', '=', id).orderBy('created_at', 'desc').execute();
  return { dataset: summarize(dataset, versions), versions };
}

export async function getDatasetVersion(db: Db, versionId: string): Promise<DatasetVersionRow | undefined> {
  return db.selectFrom('dataset_versions').selectAll().where('id', '=', versionId).executeTakeFirst();
}

/**
 * The version whose source file had this SHA-256 (recorded in its report as `sourceSha256`),
 * so a file that did not change is not parsed again to learn its version id.
 */
export async function findDatasetVersionBySourceHash(db: Db, sourceSha256: string): Promise<DatasetVersionRow | undefined> {
  return db.selectFrom('dataset_versions').selectAll().where(sql<string>`report->>'sourceSha256'`, '=', sourceSha256).executeTakeFirst();
}

/** Record the SHA-256 of the file a version was parsed from (see `findDatasetVersionBySourceHash`). */
export async function recordDatasetSourceHash(db: Db, versionId: string, sourceSha256: string): Promise<void> {
  await db
    .updateTable('dataset_versions')
    .set({ report: sql`report || jsonb_build_object('sourceSha256', ${sourceSha256}::text)` })
    .where('id', '=', versionId)
    .execute();
}

/** A page of a version's items in file order. */
export async function listDatasetItemsPage(db: Db, versionId: string, options: { limit?: number; offset?: number } = {}): Promise<StoredDatasetItem[]> {
  const rows = await db
    .selectFrom('dataset_items')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('position')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toStoredItem);
}

/** Every item of a version in file order, fetched in pages (for downloads and eval runs). */
export async function* streamDatasetItems(db: Db, versionId: string, options: { batchSize?: number } = {}): AsyncGenerator<StoredDatasetItem> {
  const batchSize = options.batchSize ?? 1000;
  let after = -1;
  for (;;) {
    const rows = await db
      .selectFrom('dataset_items')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('position', '>', after)
      .orderBy('position')
      .limit(batchSize)
      .execute();
    for (const row of rows) yield toStoredItem(row);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.position;
  }
}

/** All items of a version in file order. */
export async function loadDatasetItems(db: Db, versionId: string): Promise<StoredDatasetItem[]> {
  const items: StoredDatasetItem[] = [];
  for await (const item of streamDatasetItems(db, versionId)) items.push(item);
  return items;
}

/**
 * Soft delete: the dataset disappears from lists and its name is free again; its versions,
 * items and every eval result that references them are kept. False if not found or already deleted.
 */
export async function softDeleteDataset(db: Db, id: string): Promise<boolean> {
  if (!uuidPattern.test(id)) return false;
  const result = await db
    .updateTable('datasets')
    .set({ deleted_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
