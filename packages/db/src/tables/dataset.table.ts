import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp, Json, Timestamp } from './provider.table';

export interface DatasetsTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  /** `bundled` or `upload`. */
  source: Generated<string>;
  license: string | null;
  created_at: DefaultTimestamp;
  /** Soft delete: results that reference the dataset are kept. */
  deleted_at: Timestamp | null;
}
export type DatasetRow = Selectable<DatasetsTable>;
export type NewDatasetRow = Insertable<DatasetsTable>;

export interface DatasetVersionsTable {
  /** Content hash of the canonical items. */
  id: string;
  dataset_id: string;
  item_count: number;
  categories: string[];
  format: string;
  filename: string | null;
  /** The validation report of the upload that created this version. */
  report: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
}
export type DatasetVersionRow = Selectable<DatasetVersionsTable>;
export type NewDatasetVersionRow = Insertable<DatasetVersionsTable>;

export interface DatasetItemsTable {
  version_id: string;
  item_id: string;
  position: number;
  input: Json<unknown>;
  ideal: Json<unknown>;
  grader: string;
  grader_options: Json<Record<string, unknown>> | null;
  category: string;
  choices: Json<string[]> | null;
  meta: Json<Record<string, unknown>> | null;
  content_hash: string;
}
export type DatasetItemRow = Selectable<DatasetItemsTable>;
export type NewDatasetItemRow = Insertable<DatasetItemsTable>;
