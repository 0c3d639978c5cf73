import { sql } from 'kysely';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDataset } from '@switchyard/evals';
import { registerBundledDatasets, bundledDatasetsDir } from '../bundled-datasets';
import { auth, startTestApi, ADMIN_TOKEN, type TestApi } from './api-test-harness';

const MAX_UPLOAD = 3 * 1024 * 1024;

/** A multipart/form-data body: fields first, then files, as browsers send them. */
function multipart(files: Array<{ field?: string; filename: string; content: Buffer | string }>, fields: Record<string, string> = {}) {
  const boundary = `----switchyard${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`));
    parts.push(typeof file.content === 'string' ? Buffer.from(file.content) : file.content);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const line = (record: Record<string, unknown>) => JSON.stringify(record);
const jsonl = (count: number, prefix = 'q') => Array.from({ length: count }, (_, index) => line({ id: `${prefix}${index}`, input: `Question ${index}?`, ideal: `${index}`, grader: 'numeric', category: index % 2 ? 'odd' : 'even' })).join('\n');

describe('dataset routes', { timeout: 30_000 }, () => {
  let api: TestApi;
  const upload = (files: Parameters<typeof multipart>[0], fields?: Record<string, string>, query = '') =>
    api.app.inject({ method: 'POST', url: `/api/datasets${query}`, ...multipart(files, fields) });

  beforeAll(async () => {
    api = await startTestApi({ api: { auth: 'on', adminToken: ADMIN_TOKEN, maxUploadBytes: MAX_UPLOAD } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('uploads a file, and the same file again is a no-op returning the same version', async () => {
    const first = await upload([{ filename: 'numbers.jsonl', content: jsonl(30) }], { description: 'thirty numbers' });
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body).toMatchObject({
      created: true,
      dataset: { name: 'numbers', description: 'thirty numbers', source: 'upload', items: 30, categories: ['even', 'odd'] },
      version: { itemCount: 30, format: 'jsonl', filename: 'numbers.jsonl' },
      report: { rows: 30, items: 30, errorCount: 0, rejected: false },
    });
    expect(body.version.id).toMatch(/^[0-9a-f]{64}$/);
    const again = await upload([{ filename: 'numbers-copy.jsonl', content: jsonl(30) }]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, version: { id: body.version.id }, dataset: { id: body.dataset.id, name: 'numbers' } });
  });

  it('the same content under a chosen name that another dataset holds is a 409 naming it; nothing is stored or renamed', async () => {
    const good = await upload([{ filename: 'good.jsonl', content: jsonl(6, 'g') }], { name: 'good' });
    expect(good.statusCode).toBe(201);
    const { dataset, version } = good.json();

    for (const attempt of [
      () => upload([{ filename: 'good.jsonl', content: jsonl(6, 'g') }], {}, '?name=mine'),
      () => upload([{ filename: 'good.jsonl', content: jsonl(6, 'g') }], { name: 'mine' }),
    ]) {
      const response = await attempt();
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({ code: 'conflict', param: 'name' });
      expect(response.json().error.message).toBe(
        `Nothing was stored as "mine": the same content is already version ${version.id.slice(0, 12)} of dataset "good" (id ${dataset.id}), and a version belongs to one dataset. Evaluate that dataset, or change the file to make a new version`,
      );
    }
    const names = (await api.app.inject({ url: '/api/datasets?limit=500', headers: auth })).json().items.map((row: { name: string }) => row.name);
    expect(names).toContain('good');
    expect(names).not.toContain('mine');

    // Under its own name, or with no name chosen, the same content is the existing version.
    const same = await upload([{ filename: 'other-file.jsonl', content: jsonl(6, 'g') }], { name: 'good' });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ created: false, dataset: { id: dataset.id, name: 'good' }, version: { id: version.id } });
    expect((await upload([{ filename: 'other-file.jsonl', content: jsonl(6, 'g') }])).json()).toMatchObject({ created: false, dataset: { name: 'good' } });

    // Deleted, the dataset holding the content is named too, with how to get it back.
    await api.app.inject({ method: 'DELETE', url: `/api/datasets/${dataset.id}`, headers: auth });
    const deleted = await upload([{ filename: 'good.jsonl', content: jsonl(6, 'g') }], { name: 'mine' });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().error.message).toMatch(/already version \w{12} of dataset "good", since deleted \(upload it as "good" or without a name to restore it\)/);
    const restored = await upload([{ filename: 'good.jsonl', content: jsonl(6, 'g') }], { name: 'good' });
    expect(restored.json()).toMatchObject({ created: false, dataset: { id: dataset.id, name: 'good' } });
  });

  it('stores categories as names the router accepts, says which it renamed, and rejects rows whose category cannot be one', async () => {
    const rows = [
      line({ id: 'c1', input: '1 + 1?', ideal: '2', category: 'Math Stuff' }),
      line({ id: 'c2', input: '2 + 2?', ideal: '4', category: 'MATH' }),
      line({ id: 'c3', input: '3 + 3?', ideal: '6', category: 'math' }),
      ...Array.from({ length: 10 }, (_, index) => line({ id: `w${index}`, input: `Word ${index}?`, ideal: 'w', category: 'Word Play' })),
      line({ id: 'bad', input: '?', ideal: '?', category: '!!!' }),
    ];
    const response = await upload([{ filename: 'categories.jsonl', content: rows.join('\n') }]);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.dataset.categories).toEqual(['math', 'math-stuff', 'word-play']);
    expect(body.report.categories).toEqual({ 'math-stuff': 1, math: 2, 'word-play': 10 });
    expect(body.report.normalizedCategories).toEqual({ 'Math Stuff': 'math-stuff', MATH: 'math', 'Word Play': 'word-play' });
    expect(body.report.warnings).toEqual([
      { line: 1, field: 'category', message: 'category "Math Stuff" is stored as "math-stuff": category names are lower-case words joined by - or _' },
      { line: 2, field: 'category', message: 'category "MATH" is stored as "math": category names are lower-case words joined by - or _' },
      { line: 4, field: 'category', message: 'category "Word Play" is stored as "word-play" (10 items, the first on this line): category names are lower-case words joined by - or _' },
    ]);
    expect(body.report.errors).toEqual([{ line: 14, field: 'category', message: expect.stringMatching(/^`category` "!!!" cannot be made a category name/) }]);
    const items = (await api.app.inject({ url: `/api/datasets/${body.dataset.id}/items?limit=3`, headers: auth })).json().items;
    expect(items.map((item: { category: string }) => item.category)).toEqual(['math-stuff', 'math', 'math']);
  });

  it('shows a stored report written before messages dropped their line prefix with each line said once', async () => {
    const created = (await upload([{ filename: 'old-report.jsonl', content: jsonl(3, 'old') }])).json();
    const oldReport = { ...created.report, errors: [{ line: 4, field: 'ideal', message: 'line 4: `ideal` is missing' }], warnings: [{ line: 0, message: 'line 0 is file-level' }] };
    await api.database.db.updateTable('dataset_versions').set({ report: JSON.stringify(oldReport) }).where('id', '=', created.version.id).execute();
    const detail = (await api.app.inject({ url: `/api/datasets/${created.dataset.id}`, headers: auth })).json();
    expect(detail.versions[0].report.errors).toEqual([{ line: 4, field: 'ideal', message: '`ideal` is missing' }]);
    expect(detail.versions[0].report.warnings).toEqual([{ line: 0, message: 'line 0 is file-level' }]);
  });

  it('lists (paginated), shows one dataset with versions, and adds versions under the same name', async () => {
    await upload([{ filename: 'a.jsonl', content: jsonl(3, 'a') }], { name: 'alpha' });
    const second = await upload([{ filename: 'a2.jsonl', content: jsonl(5, 'a') }], { name: 'alpha' });
    expect(second.statusCode).toBe(201);
    const alphaId = second.json().dataset.id as string;
    const detail = await api.app.inject({ url: `/api/datasets/${alphaId}`, headers: auth });
    expect(detail.json()).toMatchObject({ name: 'alpha', versionCount: 2, items: 5, latestVersion: { itemCount: 5 } });
    expect(detail.json().versions.map((version: { itemCount: number }) => version.itemCount)).toEqual([5, 3]);
    expect(detail.json().versions[0].report).toMatchObject({ items: 5 });

    const firstPage = await api.app.inject({ url: '/api/datasets?limit=1', headers: auth });
    expect(firstPage.statusCode).toBe(200);
    expect(firstPage.json()).toMatchObject({ limit: 1, offset: 0, nextOffset: 1 });
    expect(firstPage.json().items).toHaveLength(1);
    const all = await api.app.inject({ url: '/api/datasets?limit=100', headers: auth });
    const names = all.json().items.map((row: { name: string }) => row.name);
    expect(names).toEqual(expect.arrayContaining(['numbers', 'alpha']));
    expect(all.json().items[0]).toHaveProperty('createdAt');
  });

  it('previews items page by page, returning item text verbatim as JSON strings', async () => {
    const script = '<script>alert("x")</script>';
    const created = await upload([{ filename: 'xss.jsonl', content: [line({ id: 'x1', input: script, ideal: script }), jsonl(10)].join('\n') }]);
    const id = created.json().dataset.id as string;
    const preview = await api.app.inject({ url: `/api/datasets/${id}/items?limit=4&offset=0`, headers: auth });
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toMatch(/^application\/json/);
    expect(preview.headers['x-content-type-options']).toBe('nosniff');
    expect(preview.json()).toMatchObject({ total: 11, limit: 4, offset: 0, nextOffset: 4 });
    expect(preview.json().items[0]).toMatchObject({ id: 'x1', input: [{ role: 'user', content: script }], ideal: [script], position: 0 });
    const last = await api.app.inject({ url: `/api/datasets/${id}/items?limit=4&offset=8`, headers: auth });
    expect(last.json().items.map((item: { id: string }) => item.id)).toEqual(['q7', 'q8', 'q9']);
    expect(last.json().nextOffset).toBeNull();
  });

  it('downloads JSONL that re-parses to the same version, and CSV with formula cells neutralized', async () => {
    const csv = 'question,answer,category\n"=HYPERLINK(""http://evil.example"",""x"")",-5,math\n@SUM(A1),+7,math\nPlain?,ok,misc\n';
    const created = await upload([{ filename: 'formulas.csv', content: csv }]);
    expect(created.statusCode).toBe(201);
    const { dataset, version } = created.json();
    const download = await api.app.inject({ url: `/api/datasets/${dataset.id}/download`, headers: auth });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="formulas-${version.id.slice(0, 12)}.jsonl"`);
    const reparsed = await parseDataset([Buffer.from(download.body)]);
    expect(reparsed.versionId).toBe(version.id);
    expect(reparsed.items[0]!.input[0]!.content).toBe('=HYPERLINK("http://evil.example","x")');

    const asCsv = await api.app.inject({ url: `/api/datasets/${dataset.id}/download?format=csv&version=${version.id}`, headers: auth });
    expect(asCsv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = asCsv.body.split('\r\n');
    expect(rows[0]).toBe('id,category,grader,input,ideal,choices,grader_options,meta');
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",'-5`);
    expect(rows[2]).toContain(",'@SUM(A1),'+7");
    for (const row of rows.slice(1, -1)) {
      for (const cell of row.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    }
    // The CSV export imports back to the very same version.
    expect((await parseDataset([Buffer.from(asCsv.body)], { filename: 'x.csv' })).versionId).toBe(version.id);
  });

  it('soft-deletes: gone from lists and reads, eval results kept, name reusable', async () => {
    const created = await upload([{ filename: 'doomed.jsonl', content: jsonl(4, 'd') }]);
    const { dataset, version } = created.json();
    const db = api.database.db;
    const run = await db
      .insertInto('eval_runs')
      .values({ dataset_version_id: version.id, models: ['m/a'], settings: '{}', settings_hash: 's' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('eval_results').values({ run_id: run.id, dataset_version_id: version.id, item_id: 'd0', model_id: 'm/a', category: 'even', settings_hash: 's', score: 1 }).execute();

    const removed = await api.app.inject({ method: 'DELETE', url: `/api/datasets/${dataset.id}`, headers: auth });
    expect(removed.statusCode).toBe(204);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/datasets/${dataset.id}`, headers: auth })).statusCode).toBe(404);
    const gone = await api.app.inject({ url: `/api/datasets/${dataset.id}`, headers: auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error).toMatchObject({ code: 'not_found', message: 'Dataset not found' });
    expect((await api.app.inject({ url: `/api/datasets/${dataset.id}/items`, headers: auth })).statusCode).toBe(404);
    const listed = await api.app.inject({ url: '/api/datasets?limit=500', headers: auth });
    expect(listed.json().items.map((row: { id: string }) => row.id)).not.toContain(dataset.id);
    const withDeleted = await api.app.inject({ url: '/api/datasets?limit=500&includeDeleted=true', headers: auth });
    expect(withDeleted.json().items.map((row: { id: string }) => row.id)).toContain(dataset.id);
    expect(await db.selectFrom('eval_results').select('score').where('run_id', '=', run.id).execute()).toEqual([{ score: 1 }]);

    const reused = await upload([{ filename: 'doomed.jsonl', content: jsonl(2, 'other') }]);
    expect(reused.statusCode).toBe(201);
    expect(reused.json().dataset.id).not.toBe(dataset.id);
  });

  it('dry run validates without storing', async () => {
    const response = await upload([{ filename: 'dry.jsonl', content: `${jsonl(9, 'dry')}\n{"input": "no ideal"}` }], {}, '?dryRun=true');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, name: 'dry', items: 9, report: { invalidRows: 1, rejected: false } });
    // The line is said once: in `line`, not again in the message.
    expect(response.json().report.errors[0]).toEqual({ line: 10, field: 'ideal', message: '`ideal` is missing' });
    const listed = await api.app.inject({ url: '/api/datasets?limit=500', headers: auth });
    expect(listed.json().items.map((row: { name: string }) => row.name)).not.toContain('dry');
  });

  it('accepts an upload larger than the JSON body limit, under the upload limit', async () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(16);
    const big = Array.from({ length: 5000 }, (_, index) => line({ id: `big${index}`, input: `${filler}${index}?`, ideal: `${index}` })).join('\n');
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    expect(Buffer.byteLength(big)).toBeLessThan(MAX_UPLOAD);
    const response = await upload([{ filename: 'big.jsonl', content: big }]);
    expect(response.statusCode).toBe(201);
    expect(response.json().version.itemCount).toBe(5000);
  }, 30_000);

  describe('errors', () => {
    it('rejects uploads it cannot use, in the one error shape, naming lines and fields', async () => {
      const mixed = await upload([{ filename: 'mixed.jsonl', content: `${jsonl(3)}\n{"input": "x"}\n{"id": 1, "input": []}` }]);
      expect(mixed.statusCode).toBe(422);
      expect(mixed.json()).toEqual({
        error: {
          message: '2 of 5 rows (40.0%) are invalid, more than the 10% allowed: fix them and upload again. line 4: `ideal` is missing; line 5: `input` is an empty list',
          type: 'invalid_request_error',
          param: 'file',
          code: 'bad_request',
        },
        // The report rides along, so the dashboard need not upload the file again as a dry run.
        report: expect.objectContaining({
          rows: 5,
          items: 0,
          invalidRows: 2,
          rejected: true,
          errors: [
            { line: 4, field: 'ideal', message: '`ideal` is missing' },
            { line: 5, field: 'input', message: '`input` is an empty list' },
          ],
        }),
      });
      expect(mixed.headers['x-should-retry']).toBe('false');
      const lenient = await upload([{ filename: 'mixed.jsonl', content: `${jsonl(3)}\n{"input": "x"}\n{"id": 1, "input": []}` }], {}, '?maxBadRowShare=0.5');
      expect(lenient.statusCode).toBe(201);
      expect(lenient.json().report).toMatchObject({ items: 3, invalidRows: 2 });
      expect((await upload([{ filename: 'm.jsonl', content: jsonl(1) }], {}, '?maxBadRowShare=2')).statusCode).toBe(400);
      const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), deflateRawSync(Buffer.from(jsonl(3)))]);
      const zipped = await upload([{ filename: 'renamed.jsonl', content: zip }]);
      expect(zipped.statusCode).toBe(422);
      expect(zipped.json().error.message).toMatch(/zip archive/);
      const binary = await upload([{ filename: 'x.jsonl', content: Buffer.from([0, 1, 2, 3, 255]) }]);
      expect(binary.json().error.message).toMatch(/binary/);
      const empty = await upload([{ filename: 'empty.csv', content: '' }]);
      expect(empty.statusCode).toBe(422);
      expect(empty.json().error.message).toBe('The file is empty');
      const columns = await upload([{ filename: 'cols.csv', content: 'question,notes\nWhy?,x\n' }]);
      expect(columns.json().error.message).toMatch(/no answer column/);
    });

    it('answers 413 over the upload limit, from the declared length or while streaming', async () => {
      const response = await upload([{ filename: 'huge.jsonl', content: jsonl(60_000, 'huge') }]);
      expect(response.statusCode).toBe(413);
      expect(response.json().error).toMatchObject({ code: 'payload_too_large', message: 'The file is larger than the 3 MB upload limit' });
      // Without a content-length (chunked), the multipart limit cuts the file off.
      const { payload, headers } = multipart([{ filename: 'huge.jsonl', content: 'x'.repeat(MAX_UPLOAD + 1000) }]);
      const streamed = await api.app.inject({ method: 'POST', url: '/api/datasets', headers: { ...headers, 'transfer-encoding': 'chunked' }, payload: Readable.from([payload]) });
      expect(streamed.statusCode).toBe(413);
      expect(streamed.json().error.code).toBe('payload_too_large');
    }, 30_000);

    it('requires multipart with exactly one `file`', async () => {
      const json = await api.app.inject({ method: 'POST', url: '/api/datasets', headers: auth, payload: { file: 'x' } });
      expect(json.statusCode).toBe(415);
      const noFile = await api.app.inject({ method: 'POST', url: '/api/datasets', ...multipart([], { name: 'x' }) });
      expect(noFile.statusCode).toBe(400);
      expect(noFile.json().error.message).toMatch(/`file` is missing/);
      const wrongField = await upload([{ field: 'upload', filename: 'a.jsonl', content: jsonl(1) }]);
      expect(wrongField.statusCode).toBe(400);
      const badName = await upload([{ filename: 'a.jsonl', content: jsonl(1) }], { name: '   ' });
      expect(badName.statusCode).toBe(400);
    });

    it('validates ids and query parameters', async () => {
      expect((await api.app.inject({ url: '/api/datasets/not-a-uuid', headers: auth })).statusCode).toBe(400);
      expect((await api.app.inject({ url: '/api/datasets/00000000-0000-4000-8000-000000000000', headers: auth })).statusCode).toBe(404);
      expect((await api.app.inject({ url: '/api/datasets?limit=0', headers: auth })).statusCode).toBe(400);
      const created = await upload([{ filename: 'v.jsonl', content: jsonl(2, 'v') }]);
      const id = created.json().dataset.id as string;
      expect((await api.app.inject({ url: `/api/datasets/${id}/items?version=zzz`, headers: auth })).statusCode).toBe(400);
      const otherVersion = '0'.repeat(64);
      expect((await api.app.inject({ url: `/api/datasets/${id}/items?version=${otherVersion}`, headers: auth })).statusCode).toBe(404);
      expect((await api.app.inject({ url: `/api/datasets/${id}/download?format=xlsx`, headers: auth })).statusCode).toBe(400);
    });

    it('requires the admin token', async () => {
      const { payload, headers } = multipart([{ filename: 'a.jsonl', content: jsonl(1) }]);
      const response = await api.app.inject({ method: 'POST', url: '/api/datasets', payload, headers: { 'content-type': headers['content-type'] } });
      expect(response.statusCode).toBe(401);
      expect((await api.app.inject({ url: '/api/datasets' })).statusCode).toBe(401);
      expect((await api.app.inject({ url: '/api/datasets', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    });
  });

  it('registers the bundled datasets once; the second time is a no-op', async () => {
    const first = await registerBundledDatasets(api.database.db, bundledDatasetsDir);
    expect(first).toHaveLength(6);
    expect(first.every((entry) => entry.created)).toBe(true);
    const second = await registerBundledDatasets(api.database.db, bundledDatasetsDir);
    expect(second.every((entry) => !entry.created)).toBe(true);
    expect(second.map((entry) => entry.versionId)).toEqual(first.map((entry) => entry.versionId));
    expect(second.map((entry) => entry.items)).toEqual(first.map((entry) => entry.items));
    // The second start knew every file by its bytes' hash; a version stored before hashes were
    // recorded gets its hash on the next start.
    const hashOf = async (versionId: string) =>
      ((await api.database.db.selectFrom('dataset_versions').select('report').where('id', '=', versionId).executeTakeFirstOrThrow()).report as { sourceSha256?: string }).sourceSha256;
    expect(await hashOf(first[0]!.versionId)).toMatch(/^[0-9a-f]{64}$/);
    await sql`update dataset_versions set report = report - 'sourceSha256'`.execute(api.database.db);
    expect(await hashOf(first[0]!.versionId)).toBeUndefined();
    const third = await registerBundledDatasets(api.database.db, bundledDatasetsDir);
    expect(third.every((entry) => !entry.created)).toBe(true);
    expect(await hashOf(first[0]!.versionId)).toMatch(/^[0-9a-f]{64}$/);
    const listed = await api.app.inject({ url: '/api/datasets?limit=500', headers: auth });
    const gsm = listed.json().items.find((row: { name: string }) => row.name === 'gsm8k');
    expect(gsm).toMatchObject({ source: 'bundled', license: 'MIT', items: 200, categories: ['math'] });
    // A user's deletion of a bundled set survives the next start.
    await api.app.inject({ method: 'DELETE', url: `/api/datasets/${gsm.id}`, headers: auth });
    await registerBundledDatasets(api.database.db, bundledDatasetsDir);
    expect((await api.app.inject({ url: `/api/datasets/${gsm.id}`, headers: auth })).statusCode).toBe(404);
    const manifest = JSON.parse(readFileSync(join(bundledDatasetsDir, 'bundled.json'), 'utf8')) as { datasets: unknown[] };
    expect(manifest.datasets).toHaveLength(6);
  }, 30_000);

  it('documents every dataset route in the OpenAPI document', async () => {
    const spec = (await api.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/datasets'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(spec.paths['/api/datasets/{id}']).toHaveProperty('delete');
    expect(spec.paths['/api/datasets/{id}/items']).toHaveProperty('get');
    expect(spec.paths['/api/datasets/{id}/download']).toHaveProperty('get');
    const post = spec.paths['/api/datasets']!.post as { requestBody?: { content?: Record<string, unknown> } };
    expect(Object.keys(post.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
  });
});
