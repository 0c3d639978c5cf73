import { describe, expect, it } from 'vitest';
import { DatasetUpload } from './upload.svelte';
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

  it('asks for a dry run to show line errors when the file is rejected', async () => {
    const urls: string[] = [];
    const rejected = report({ items: 0, invalidRows: 3, errors: [{ line: 2, field: 'ideal', message: '`ideal` is missing' }], errorCount: 3, rejected: true, rejectionReason: 'Too many invalid rows' });
    const upload = new DatasetUpload(async (_file, url) => {
      urls.push(url);
      if (url.includes('dryRun')) return { status: 200, body: JSON.stringify({ dryRun: true, report: rejected }) };
      return { status: 422, body: JSON.stringify({ error: { message: 'Too many invalid rows', code: 'bad_request' } }) };
    });
    await upload.upload(new File(['bad'], 'bad.jsonl'));
    expect(urls).toEqual(['/api/datasets', '/api/datasets?dryRun=true']);
    expect(upload.status).toBe('rejected');
    expect(upload.error).toBe('Too many invalid rows');
    expect(upload.report?.errors[0]?.line).toBe(2);
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
