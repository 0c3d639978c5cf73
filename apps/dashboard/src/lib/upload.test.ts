import { describe, expect, it } from 'vitest';
import { canKeepValidRows, DatasetUpload, rejectionSummary } from './upload.svelte';
import type { ValidationReport } from './types';

const report = (overrides: Partial<ValidationReport> = {}): ValidationReport => ({
  format: 'jsonl',
  bytes: 100,
  rows: 3,
  items: 3,
  invalidRows: 0,
  duplicateRows: 0,
  errors: [],
  errorCount: 0,
  warnings: [],
  warningCount: 0,
  categories: { math: 3 },
  graders: { exact: 3 },
  rejected: false,
  rejectionReason: null,
  ...overrides,
});

// 3 JSONL rows, one malformed: rejected for its share of bad rows, though 2 rows were valid.
const mixed = report({
  items: 0,
  invalidRows: 1,
  errors: [{ line: 2, message: 'not valid JSON' }],
  errorCount: 1,
  categories: {},
  graders: {},
  rejected: true,
  rejectionReason: '1 of 3 rows (33.3%) are invalid, more than the 10% allowed: fix them and upload again',
  rejectionKind: 'bad_row_share',
  maxBadRowShare: 0.1,
});

describe('rejectionSummary', () => {
  it('says that nothing was stored, how many rows were valid, why, and what to do', () => {
    expect(rejectionSummary(mixed)).toBe(
      'Nothing stored: 2 valid rows, 1 row with errors (33.3%, more than the 10% allowed). Fix the errors below and upload again, or store only the valid rows.',
    );
    expect(canKeepValidRows(mixed)).toBe(true);
  });
  it('offers no partial store when no row, or the file itself, is the problem', () => {
    const none = report({ items: 0, invalidRows: 3, errors: [{ line: 1, message: 'x' }], errorCount: 3, rejected: true, rejectionReason: 'None of the 3 rows is valid' });
    expect(rejectionSummary(none)).toBe('Nothing stored: none of the 3 rows is valid. Fix the errors below and upload again.');
    expect(canKeepValidRows(none)).toBe(false);
    const empty = report({ rows: 0, items: 0, rejected: true, rejectionReason: 'The file is empty' });
    expect(rejectionSummary(empty)).toBe('Nothing stored: the file is empty.');
    expect(canKeepValidRows(empty)).toBe(false);
  });
});

describe('DatasetUpload', () => {
  it('reports progress and the stored version', async () => {
    const seen: number[] = [];
    const upload = new DatasetUpload(async (_file, url, onProgress) => {
      expect(url).toBe('/api/datasets');
      onProgress(0.5);
      seen.push(upload.progress);
      return { status: 201, body: JSON.stringify({ created: true, dataset: { id: 'd1', name: 'mini' }, version: { id: 'v', itemCount: 3 }, report: report() }) };
    });
    await upload.upload(new File(['{}'], 'mini.jsonl'));
    expect(seen).toEqual([0.5]);
    expect(upload.progress).toBe(1);
    expect(upload.status).toBe('done');
    expect(upload.report?.items).toBe(3);
    expect(upload.fileName).toBe('mini.jsonl');
  });

  it('sends a rejected file once, and shows the report that came back with the rejection', async () => {
    const urls: string[] = [];
    const rejected = report({ items: 0, invalidRows: 3, errors: [{ line: 2, field: 'ideal', message: '`ideal` is missing' }], errorCount: 3, rejected: true, rejectionReason: 'None of the 3 rows is valid' });
    const upload = new DatasetUpload(async (_file, url) => {
      urls.push(url);
      return { status: 422, body: JSON.stringify({ error: { message: 'None of the 3 rows is valid', code: 'bad_request' }, report: rejected }) };
    });
    await upload.upload(new File(['bad'], 'bad.jsonl'));
    expect(urls).toEqual(['/api/datasets']);
    expect(upload.status).toBe('rejected');
    expect(upload.error).toBe('None of the 3 rows is valid');
    expect(upload.report?.errors[0]?.line).toBe(2);
  });

  it('stores only the valid rows of a rejected file when asked, with maxBadRowShare=1', async () => {
    const urls: string[] = [];
    const upload = new DatasetUpload(async (_file, url) => {
      urls.push(url);
      if (url.includes('maxBadRowShare=1')) return { status: 201, body: JSON.stringify({ created: true, dataset: { id: 'd1', name: 'mixed' }, version: { id: 'v', itemCount: 2 }, report: report({ items: 2, invalidRows: 1 }) }) };
      return { status: 422, body: JSON.stringify({ error: { message: 'rejected', code: 'bad_request' }, report: mixed }) };
    });
    await upload.upload(new File(['x'], 'mixed.jsonl'));
    expect(upload.status).toBe('rejected');
    await upload.keepValidRows();
    expect(urls).toEqual(['/api/datasets', '/api/datasets?maxBadRowShare=1']);
    expect(upload.status).toBe('done');
    expect(upload.report?.items).toBe(2);
  });

  it('fails cleanly on a network error', async () => {
    const upload = new DatasetUpload(async () => {
      throw new Error('offline');
    });
    await upload.upload(new File(['x'], 'x.csv'));
    expect(upload.status).toBe('failed');
    expect(upload.error).toBe('offline');
  });
});
