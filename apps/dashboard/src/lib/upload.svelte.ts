import { errorFrom } from './api';
import type { DatasetDryRun, DatasetUploadResult, ValidationReport } from './types';

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

/**
 * One dataset upload: progress, then the validation report. A rejected file (422) is
 * sent again as a dry run, which always answers with the full report and its line errors.
 */
export class DatasetUpload {
  fileName = $state<string | null>(null);
  progress = $state(0);
  status = $state<'idle' | 'uploading' | 'done' | 'rejected' | 'failed'>('idle');
  report = $state.raw<ValidationReport | null>(null);
  result = $state.raw<DatasetUploadResult | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly send: Send = sendWithXhr) {}

  async upload(file: File): Promise<void> {
    this.fileName = file.name;
    this.progress = 0;
    this.status = 'uploading';
    this.report = null;
    this.result = null;
    this.error = null;
    try {
      const response = await this.send(file, '/api/datasets', (fraction) => (this.progress = fraction));
      this.progress = 1;
      if (response.status === 200 || response.status === 201) {
        this.result = JSON.parse(response.body) as DatasetUploadResult;
        this.report = this.result.report;
        this.status = 'done';
        return;
      }
      const error = await errorFrom(new Response(response.body, { status: response.status }));
      this.error = error.message;
      if (response.status === 422 || response.status === 400) {
        const dry = await this.send(file, '/api/datasets?dryRun=true', () => undefined);
        if (dry.status === 200) this.report = (JSON.parse(dry.body) as DatasetDryRun).report;
        this.status = 'rejected';
        return;
      }
      this.status = 'failed';
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.status = 'failed';
    }
  }
}
