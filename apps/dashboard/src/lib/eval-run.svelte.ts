import { getJson, sendJson } from './api';

export interface RunProgress {
  status: string;
  done: number;
  total: number;
  errors: number;
  spendUsd: number;
  etaMs: number | null;
}

export interface RunResult {
  model: string;
  n: number;
  errors: number;
  mean: number | null;
  interval: { low: number; high: number } | null;
  totalCostUsd: number;
  latencyMs: { p50?: number; p95?: number } | null;
  categories: Array<{ category: string; n: number; mean: number | null; interval: { low: number; high: number } | null }>;
}

interface RunView extends RunProgress {
  id: string;
  models: string[];
  results?: RunResult[];
  reused?: number;
}

const finished = (status: string) => status === 'completed' || status === 'failed' || status === 'cancelled';

/**
 * One eval run followed live: POST /api/eval-runs, then its SSE stream of progress until
 * it ends, then the per-model results with intervals from GET /api/eval-runs/:id.
 */
export class EvalRunWatch {
  runId = $state<string | null>(null);
  progress = $state.raw<RunProgress | null>(null);
  results = $state.raw<RunResult[]>([]);
  error = $state<string | null>(null);
  private source: EventSource | undefined;

  fraction = $derived(this.progress && this.progress.total > 0 ? Math.min(1, this.progress.done / this.progress.total) : 0);
  running = $derived(this.progress !== null && !finished(this.progress.status));

  async start(input: { datasetVersionId: string; models: string[]; sample?: number; force?: boolean }): Promise<void> {
    this.stop();
    this.error = null;
    this.results = [];
    try {
      const run = await sendJson<RunView>('POST', '/api/eval-runs', input);
      this.runId = run.id;
      this.progress = run;
      this.follow(run.id);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  follow(runId: string): void {
    this.runId = runId;
    if (typeof EventSource === 'undefined') return void this.refresh();
    const source = new EventSource(`/api/eval-runs/${runId}/events`, { withCredentials: true });
    this.source = source;
    source.addEventListener('progress', (message) => {
      this.progress = JSON.parse((message as MessageEvent<string>).data) as RunProgress;
      if (finished(this.progress.status)) void this.complete();
    });
    source.addEventListener('result', () => void this.refresh());
    source.addEventListener('end', () => void this.complete());
    source.onerror = () => {
      // The server closes the stream when the run ends; fetch the final state once.
      if (this.source === source && source.readyState === EventSource.CLOSED) void this.complete();
    };
  }

  private async complete(): Promise<void> {
    this.source?.close();
    this.source = undefined;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.runId) return;
    try {
      const run = await getJson<RunView>(`/api/eval-runs/${this.runId}`);
      this.progress = { status: run.status, done: run.done, total: run.total, errors: run.errors, spendUsd: run.spendUsd, etaMs: run.etaMs };
      this.results = run.results ?? [];
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
  }
}
