/**
 * Dataset API: upload (multipart, streamed straight into the parser), list, detail with
 * versions, item preview, soft delete, and download as JSONL or spreadsheet-safe CSV.
 * Handlers validate with zod and throw SwitchyardError; the app's one error handler answers.
 */
import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatBytes, httpErrorResponse, isRecord, SwitchyardError } from '@switchyard/core';
import {
  getDataset,
  getDatasetVersion,
  listDatasetItemsPage,
  listDatasets,
  saveDatasetVersion,
  softDeleteDataset,
  streamDatasetItems,
  type DatasetSummary,
  type DatasetVersionRow,
  type Db,
  type StoredDatasetItem,
} from '@switchyard/db';
import {
  DatasetRejectedError,
  csvHeaderLine,
  evalItemSchema,
  inspectDataset,
  itemContentHash,
  itemToCsvRow,
  itemToJsonl,
  type EvalItem,
  type InspectedDataset,
  type ValidationReport,
} from '@switchyard/evals';
import type { ApiContext } from '../context';
import { documented, notFound, page, paginationQuery } from './route-schema';

const idParams = z.object({ id: z.uuid() });
const nameSchema = z.string().trim().min(1).max(200).regex(/^\P{Cc}+$/u, 'must not contain control characters');
const uploadQuery = z.object({
  name: nameSchema.optional(),
  description: z.string().max(2000).optional(),
  dryRun: z.enum(['true', 'false']).default('false'),
  /** Reject the upload when more than this share of rows is invalid (default 0.1). */
  maxBadRowShare: z.coerce.number().min(0).max(1).optional(),
});
const listQuery = paginationQuery.extend({ includeDeleted: z.enum(['true', 'false']).default('false') });
const itemsQuery = paginationQuery.extend({ version: z.string().regex(/^[0-9a-f]{64}$/, 'must be a version id').optional() });
const downloadQuery = z.object({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  version: z.string().regex(/^[0-9a-f]{64}$/, 'must be a version id').optional(),
});

/** A dataset version as the API shows it. */
const versionView = (version: DatasetVersionRow) => ({
  id: version.id,
  itemCount: version.item_count,
  categories: version.categories,
  format: version.format,
  filename: version.filename,
  createdAt: version.created_at,
});

/** A dataset as lists show it: its latest version's item count and categories at the top level. */
const datasetView = (dataset: DatasetSummary) => ({
  id: dataset.id,
  name: dataset.name,
  description: dataset.description,
  source: dataset.source,
  license: dataset.license,
  createdAt: dataset.createdAt,
  deletedAt: dataset.deletedAt,
  versionCount: dataset.versionCount,
  latestVersion: dataset.latestVersion,
  items: dataset.latestVersion?.itemCount ?? 0,
  categories: dataset.latestVersion?.categories ?? [],
});

/** An item as the preview shows it (without its content hash). */
const itemView = (item: StoredDatasetItem) => {
  const { contentHash: _hash, ...rest } = item;
  return rest;
};

/** A stored item as the evals package's EvalItem (the grader name is checked). */
function asEvalItem(item: StoredDatasetItem): EvalItem {
  return evalItemSchema.parse(item);
}

/**
 * A stored validation report as the API shows it. Reports stored before issue messages
 * dropped their "line N: " prefix still say each line once.
 */
function storedReportView(report: Record<string, unknown> | null) {
  if (!report) return report;
  const issues = (value: unknown) =>
    Array.isArray(value)
      ? value.map((issue: unknown) => {
          if (!isRecord(issue) || typeof issue.message !== 'string' || typeof issue.line !== 'number' || issue.line <= 0) return issue;
          const prefix = `line ${issue.line}: `;
          return issue.message.startsWith(prefix) ? { ...issue, message: issue.message.slice(prefix.length) } : issue;
        })
      : value;
  return { ...report, errors: issues(report.errors), warnings: issues(report.warnings) };
}

const safeFilename = (name: string) => name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 100) || 'dataset';

const datasetDocs = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  source: z.string(),
  license: z.string().nullable(),
  createdAt: z.string(),
  items: z.number(),
  categories: z.array(z.string()),
  versionCount: z.number(),
  latestVersion: z.object({ id: z.string(), itemCount: z.number(), categories: z.array(z.string()), format: z.string(), createdAt: z.string() }).nullable(),
});

/** The body of a dry-run upload: what would be stored, and the validation report. */
export function dryRunView(name: string, parsed: InspectedDataset) {
  return { dryRun: true, name, format: parsed.format, versionId: parsed.versionId, items: parsed.items.length, report: parsed.report };
}

/**
 * The body of a rejected upload (422, or 413 over a limit): the API's one error shape, from
 * the shared mapper, plus the validation report, so a client shows every line error and the
 * row counts without sending the file again as a dry run.
 */
export function rejectedUploadView(report: ValidationReport) {
  const response = httpErrorResponse(new DatasetRejectedError(report));
  return { status: response.status, headers: response.headers, body: { ...response.body, report } };
}

/** The body of a stored upload: the dataset, the version (new or identical to an existing one) and the validation report. */
export function uploadView(created: boolean, dataset: DatasetSummary | undefined, version: DatasetVersionRow, report: ValidationReport) {
  return { created, dataset: dataset ? datasetView(dataset) : null, version: versionView(version), report };
}

/** The body of GET /api/datasets: live (or all) datasets, a page at a time. */
export async function buildDatasetList(db: Db, query: z.infer<typeof listQuery>) {
  const { rows, total } = await listDatasets(db, { limit: query.limit, offset: query.offset, includeDeleted: query.includeDeleted === 'true' });
  return page(rows.map(datasetView), query.limit, query.offset, total);
}

/** The requested version of a live dataset (latest by default), or 404. */
async function resolveVersion(db: Db, id: string, versionId: string | undefined): Promise<DatasetVersionRow> {
  const found = await getDataset(db, id);
  if (!found) throw notFound('Dataset');
  if (!versionId) {
    const latest = found.versions[0];
    if (!latest) throw notFound('Dataset version');
    return latest;
  }
  const version = await getDatasetVersion(db, versionId);
  if (!version || version.dataset_id !== id) throw new SwitchyardError('not_found', `Version ${versionId} is not a version of this dataset`, { param: 'version' });
  return version;
}

/** The body of GET /api/datasets/:id/items: a page of one version's items, in file order. */
export async function buildItemsPage(db: Db, id: string, query: z.infer<typeof itemsQuery>) {
  const version = await resolveVersion(db, id, query.version);
  const items = await listDatasetItemsPage(db, version.id, { limit: query.limit, offset: query.offset });
  return { versionId: version.id, ...page(items.map(itemView), query.limit, query.offset, version.item_count) };
}

/** Room for multipart boundaries, part headers and the small text fields. */
const MULTIPART_OVERHEAD_BYTES = 256 * 1024;

export async function datasetRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db, config } = context;
  const maxUploadBytes = config.api.maxUploadBytes;
  const tooLarge = () =>
    new SwitchyardError('payload_too_large', `The file is larger than the ${formatBytes(maxUploadBytes)} upload limit`, { param: 'file' });

  // Encapsulated so the multipart parser applies to these routes only.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
    });

    const uploadDocs = documented({
      tags: ['datasets'],
      summary: 'Upload a dataset file (multipart field `file`); content already stored under another name than the `name` given is a 409 naming that dataset',
      description:
        'Formats are detected: native JSONL, OpenAI evals JSONL, promptfoo CSV/YAML, plain CSV with a header. The file is streamed into the parser. ' +
        'Bad rows are dropped and listed in `report` (line, field, message — the message does not repeat the line); an upload with too many bad rows, or over a limit, is rejected with 422/413 ' +
        'and nothing is stored: the answer is the error shape plus the same `report` (`maxBadRowShare=1` stores the valid rows of a file with bad rows). ' +
        'Categories are stored as lower-case names the router accepts ("Math Stuff" → "math-stuff", "MATH" → "math"; each renaming is a warning and is listed in `report.normalizedCategories`); ' +
        'a category that cannot be made a name (empty, no letters or digits, over 64 characters) is a row error. ' +
        'Optional form fields (or query parameters): `name`, `description`. A version is identified by its content and belongs to one dataset: re-uploading the same content ' +
        'returns the existing version (`created: false`), except when a `name` is given that differs from the dataset holding it — then nothing is stored and the answer is ' +
        '409 naming that dataset (nothing is renamed or lost). `dryRun=true` validates without storing and always answers 200 with the report.',
      querystring: uploadQuery,
    });
    // OpenAPI: the upload is a multipart form (the handler reads it as a stream, not as a body).
    Object.assign(uploadDocs.schema as Record<string, unknown>, {
      consumes: ['multipart/form-data'],
      body: {
        type: 'object',
        required: ['file'],
        properties: {
          name: { type: 'string', description: 'Dataset name (default: the file name without extension)' },
          description: { type: 'string' },
          file: { type: 'string', format: 'binary', description: 'JSONL, CSV/TSV or YAML file' },
        },
      },
    });
    scope.post(
      '/api/datasets',
      uploadDocs,
      async (request, reply) => {
        const query = uploadQuery.parse(request.query);
        if (!request.isMultipart()) {
          throw new SwitchyardError('bad_request', 'Send the dataset as multipart/form-data with the file in a field named `file`', { status: 415, param: 'file' });
        }
        // Fast path: a declared body far over the limit is refused before reading it.
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > maxUploadBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
        const fields: Record<string, string> = {};
        let parsed: InspectedDataset | undefined;
        let filename: string | undefined;
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            fields[part.fieldname] = String(part.value);
            continue;
          }
          if (part.fieldname !== 'file' || parsed) {
            part.file.resume();
            throw new SwitchyardError('bad_request', 'Send exactly one file, in a field named `file`', { param: part.fieldname });
          }
          filename = part.filename;
          parsed = await inspectDataset(part.file, {
            filename,
            limits: { maxFileBytes: maxUploadBytes, ...(query.maxBadRowShare === undefined ? {} : { maxBadRowShare: query.maxBadRowShare }) },
          });
          if (part.file.truncated) throw tooLarge();
        }
        if (!parsed) throw new SwitchyardError('bad_request', '`file` is missing: send the dataset in a multipart field named `file`', { param: 'file' });
        const chosenName = fields.name ?? query.name;
        const name = nameSchema.parse(chosenName ?? filename?.replace(/\.[^.]+$/, '') ?? '');
        const description = z.string().max(2000).optional().parse(fields.description ?? query.description);

        if (query.dryRun === 'true') {
          return dryRunView(name, parsed);
        }
        if (parsed.report.rejected || !parsed.versionId || !parsed.format) {
          const rejected = rejectedUploadView(parsed.report);
          return reply.code(rejected.status).headers(rejected.headers).send(rejected.body);
        }
        const outcome = await saveDatasetVersion(db, {
          name,
          description: description ?? null,
          source: 'upload',
          versionId: parsed.versionId,
          format: parsed.format,
          filename: filename ?? null,
          report: parsed.report as unknown as Record<string, unknown>,
          items: parsed.items.map((item) => ({ ...item, contentHash: itemContentHash(item) })),
          nameChosen: chosenName !== undefined,
        });
        const detail = await getDataset(db, outcome.dataset.id);
        return reply.code(outcome.created ? 201 : 200).send(uploadView(outcome.created, detail?.dataset, outcome.version, parsed.report));
      },
    );
  });

  app.get(
    '/api/datasets',
    documented({
      tags: ['datasets'],
      summary: 'List datasets with their latest version (name, items, categories, created)',
      querystring: listQuery,
      response: z.object({ items: z.array(datasetDocs), limit: z.number(), offset: z.number(), total: z.number(), nextOffset: z.number().nullable() }),
    }),
    async (request) => buildDatasetList(db, listQuery.parse(request.query)),
  );

  app.get(
    '/api/datasets/:id',
    documented({ tags: ['datasets'], summary: 'One dataset with all its versions and their validation reports', params: idParams }),
    async (request) => {
      const { id } = idParams.parse(request.params);
      const found = await getDataset(db, id);
      if (!found) throw notFound('Dataset');
      return { ...datasetView(found.dataset), versions: found.versions.map((version) => ({ ...versionView(version), report: storedReportView(version.report) })) };
    },
  );

  app.get(
    '/api/datasets/:id/items',
    documented({
      tags: ['datasets'],
      summary: 'Preview items of a dataset version (latest by default), paginated, in file order',
      description: 'Item text is returned verbatim as JSON strings; clients must render it as text.',
      params: idParams,
      querystring: itemsQuery,
    }),
    async (request) => buildItemsPage(db, idParams.parse(request.params).id, itemsQuery.parse(request.query)),
  );

  app.delete(
    '/api/datasets/:id',
    documented({
      tags: ['datasets'],
      summary: 'Soft-delete a dataset',
      description: 'The dataset leaves lists and its name is free again; versions, items and eval results that reference them are kept.',
      params: idParams,
    }),
    async (request, reply) => {
      const { id } = idParams.parse(request.params);
      if (!(await softDeleteDataset(db, id))) throw notFound('Dataset');
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/datasets/:id/download',
    documented({
      tags: ['datasets'],
      summary: 'Download a dataset version as JSONL (lossless) or CSV',
      description: 'CSV cells beginning with =, +, -, @, tab or CR are prefixed with a single quote so spreadsheets do not run them as formulas.',
      params: idParams,
      querystring: downloadQuery,
      produces: ['application/x-ndjson', 'text/csv'],
    }),
    async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const query = downloadQuery.parse(request.query);
      const version = await resolveVersion(db, id, query.version);
      const found = await getDataset(db, id);
      const csv = query.format === 'csv';
      const lines = async function* () {
        if (csv) yield `${csvHeaderLine()}\r\n`;
        for await (const stored of streamDatasetItems(db, version.id)) {
          const item = asEvalItem(stored);
          yield csv ? `${itemToCsvRow(item)}\r\n` : `${itemToJsonl(item)}\n`;
        }
      };
      const filename = `${safeFilename(found?.dataset.name ?? 'dataset')}-${version.id.slice(0, 12)}.${csv ? 'csv' : 'jsonl'}`;
      return reply
        .type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(Readable.from(lines()));
    },
  );
}
