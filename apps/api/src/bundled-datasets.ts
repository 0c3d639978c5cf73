import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Logger } from '@switchyard/core';
import { findDatasetVersionBySourceHash, getDatasetVersion, recordDatasetSourceHash, saveDatasetVersion, type Db } from '@switchyard/db';
import { itemContentHash, parseDataset } from '@switchyard/evals';

/** The repository's `datasets/` folder. */
export const bundledDatasetsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../datasets');

const manifestSchema = z.object({
  datasets: z.array(z.object({ file: z.string(), name: z.string().min(1), license: z.string().optional(), description: z.string().optional() })),
});

export interface BundledRegistration {
  name: string;
  versionId: string;
  created: boolean;
  items: number;
}

/**
 * Register the bundled eval sets (every entry of `<dir>/bundled.json`, or every `*.jsonl`
 * when there is no manifest) as datasets with source `bundled`. Idempotent: a version
 * whose content hash exists is left alone, including one the user has deleted since. A file
 * whose bytes were registered before (`sourceSha256` in its version's report) is not parsed.
 * Called by the control plane at start-up.
 */
export async function registerBundledDatasets(db: Db, dir: string = bundledDatasetsDir, logger?: Logger): Promise<BundledRegistration[]> {
  if (!existsSync(dir)) return [];
  const manifestPath = join(dir, 'bundled.json');
  const entries = existsSync(manifestPath)
    ? manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8'))).datasets
    : readdirSync(dir)
        .filter((file) => file.endsWith('.jsonl'))
        .sort()
        .map((file) => ({ file, name: basename(file, '.jsonl'), license: undefined, description: undefined }));
  const registered: BundledRegistration[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.file);
    // A file seen before is known by its bytes' hash: no need to parse it again for its version id.
    const sourceSha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    const known = await findDatasetVersionBySourceHash(db, sourceSha256);
    if (known) {
      registered.push({ name: entry.name, versionId: known.id, created: false, items: known.item_count });
      continue;
    }
    const parsed = await parseDataset(createReadStream(path), { filename: entry.file });
    if (await getDatasetVersion(db, parsed.versionId)) {
      await recordDatasetSourceHash(db, parsed.versionId, sourceSha256);
      registered.push({ name: entry.name, versionId: parsed.versionId, created: false, items: parsed.items.length });
      continue;
    }
    const outcome = await saveDatasetVersion(db, {
      name: entry.name,
      description: entry.description ?? null,
      source: 'bundled',
      license: entry.license ?? null,
      versionId: parsed.versionId,
      format: parsed.format,
      filename: entry.file,
      report: { ...(parsed.report as unknown as Record<string, unknown>), sourceSha256 },
      items: parsed.items.map((item) => ({ ...item, contentHash: itemContentHash(item) })),
      restoreDeleted: false,
    });
    registered.push({ name: entry.name, versionId: parsed.versionId, created: outcome.created, items: parsed.items.length });
  }
  const created = registered.filter((entry) => entry.created).length;
  if (created > 0) logger?.info({ created, total: registered.length }, 'bundled datasets registered');
  return registered;
}
