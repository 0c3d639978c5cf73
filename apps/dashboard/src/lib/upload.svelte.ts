import { errorFrom, errorText } from './api';
import { count, percent } from './format';
import type { DatasetUploadResult, ValidationReport } from './types';

type Send = (file: File, url: string, onProgress: (fraction: number) => void) => Promise<{ status: number; body: string }>;

/** XMLHttpRequest, because fetch cannot report upload progress. */
const sendWithXhr: Send = (file, url, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new Error('The upload failed: network error'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });

/** The rows of a rejected file that were valid (a rejected report keeps no items). */
export function validRows(report: ValidationReport): number {
  return Math.max(0, report.rows - report.invalidRows);
}

/**
 * True when the file was refused only for its share of bad rows, so storing just its valid
 * rows (`maxBadRowShare=1`) would succeed.
 */
export function canKeepValidRows(report: ValidationReport): boolean {
  return report.rejected && report.rejectionKind === 'bad_row_share' && validRows(report) > 0;
}

/** What a rejected upload says, once: that nothing was stored, the counts, and what to do. */
export function rejectionSummary(report: ValidationReport): string {
  if (canKeepValidRows(report)) {
    const share = percent(report.invalidRows / report.rows);
    const allowed = report.maxBadRowShare === undefined ? undefined : `${+(100 * report.maxBadRowShare).toFixed(1)}%`;
    return (
      `Nothing stored: ${count(validRows(report), 'valid row')}, ${count(report.invalidRows, 'row')} with errors ` +
      `(${share}${allowed ? `, more than the ${allowed} allowed` : ''}). Fix the errors below and upload again, or store only the valid rows.`
    );
  }
  const reason = report.rejectionReason ?? 'the file was rejected';
  const fix = report.errors.length > 0 ? ' Fix the errors below and upload again.' : '';
  return `Nothing stored: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}.${fix}`;
}

/**
 * One dataset upload: progress, then the validation report. The file is sent once: a rejected
 * file (422, 413) comes back with its report too. Keeping only the valid rows of a rejected
 * file is the user's choice, and sends it again with `maxBadRowShare=1`.
 */
export class DatasetUpload {
  fileName = $state<string | null>(null);
  progress = $state(0);
  status = $state<'idle' | 'uploading' | 'done' | 'rejected' | 'failed'>('idle');
  report = $state.raw<ValidationReport | null>(null);
  result = $state.raw<DatasetUploadResult | null>(null);
  error = $state<string | null>(null);
  private file: File | null = null;

  constructor(private readonly send: Send = sendWithXhr) {}

  /** Store only the valid rows of the file just rejected for its bad rows. */
  async keepValidRows(): Promise<void> {
    if (this.file) await this.upload(this.file, { keepValidRows: true });
  }

  async upload(file: File, options: { keepValidRows?: boolean } = {}): Promise<void> {
    this.file = file;
    this.fileName = file.name;
    this.progress = 0;
    this.status = 'uploading';
    this.report = null;
    this.result = null;
    this.error = null;
    try {
      const url = options.keepValidRows ? '/api/datasets?maxBadRowShare=1' : '/api/datasets';
      const response = await this.send(file, url, (fraction) => (this.progress = fraction));
      this.progress = 1;
      if (response.status === 200 || response.status === 201) {
        this.result = JSON.parse(response.body) as DatasetUploadResult;
        this.report = this.result.report;
        this.status = 'done';
        return;
      }
      const error = await errorFrom(new Response(response.body, { status: response.status }));
      this.error = error.message;
      if (response.status === 422 || response.status === 413 || response.status === 400) {
        this.report = reportOf(response.body);
        this.status = 'rejected';
        return;
      }
      this.status = 'failed';
    } catch (error) {
      this.error = errorText(error);
      this.status = 'failed';
    }
  }
}

/** The validation report a rejected upload carries, or null (a 400 for a bad request has none). */
function reportOf(body: string): ValidationReport | null {
  try {
    const parsed = JSON.parse(body) as { report?: ValidationReport };
    return parsed.report ?? null;
  } catch {
    return null;
  }
}
