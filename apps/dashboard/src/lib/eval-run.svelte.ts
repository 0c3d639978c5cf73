import { errorText, getJson, sendJson } from './api';
import { live, type LiveFeed } from './live.svelte';
import { runFinished } from './eval-runs.svelte';
import type { EvalRun, EvalRunDetail, EvalRunResult, LiveEvent } from './types';

/** Progress of a run, from its `eval-progress` events or from the run itself. */
type RunProgress = Omit<Extract<LiveEvent, { type: 'eval-progress' }>, 'type' | 'runId'>;

/** The progress fields of a run or a progress event (a run without an ETA has none). */
const progressOf = (source: Omit<RunProgress, 'etaMs'> & { etaMs?: number | null }): RunProgress => ({
  status: source.status,
  done: source.done,
  total: source.total,
  errors: source.errors,
  spendUsd: source.spendUsd,
  etaMs: source.etaMs ?? null,
});

/**
 * One eval run followed live: POST /api/eval-runs (or `open` an existing run), then its
 * progress events on the dashboard's live stream until it ends, then the per-model results
 * with intervals from GET /api/eval-runs/:id.
 */
export class EvalRunWatch {
  runId = $state<string | null>(null);
  progress = $state.raw<RunProgress | null>(null);
  results = $state.raw<EvalRunResult[]>([]);
  error = $state<string | null>(null);
  /** The run as last read (dataset, models, times), null until then. */
  detail = $state.raw<EvalRunDetail | null>(null);
  private offLive: (() => void) | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly feed: LiveFeed = live) {}

  fraction = $derived(this.progress && this.progress.total > 0 ? Math.min(1, this.progress.done / this.progress.total) : 0);
  running = $derived(this.progress !== null && !runFinished(this.progress.status));

  async start(input: { datasetVersionId: string; models: string[]; sample?: number; force?: boolean }): Promise<void> {
    this.stop();
    this.error = null;
    this.results = [];
    this.detail = null;
    try {
      const run = await sendJson<EvalRun>('POST', '/api/eval-runs', input);
      this.runId = run.id;
      this.progress = run;
      this.follow(run.id);
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /**
   * Show an existing run (from the run list): its progress and results so far, followed live
   * until it ends when it is still queued or running.
   */
  async open(runId: string): Promise<void> {
    this.stop();
    this.error = null;
    this.results = [];
    this.progress = null;
    this.detail = null;
    this.runId = runId;
    await this.refresh();
    // Another run may have been opened while this one loaded.
    const progress = this.progress as RunProgress | null;
    if (this.runId === runId && progress && !runFinished(progress.status)) this.follow(runId);
  }

  /** Cancel the followed run: items not started are dropped, what was done is kept. */
  async cancel(): Promise<void> {
    if (!this.runId) return;
    try {
      const run = await sendJson<EvalRun>('POST', `/api/eval-runs/${this.runId}/cancel`, {});
      this.progress = progressOf({ ...run, etaMs: null });
      await this.complete();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /**
   * Follow the run on the dashboard's one live stream (eval-progress / eval-result events
   * for this run id), with a slow poll as a safety net for a missed event.
   */
  follow(runId: string): void {
    this.runId = runId;
    this.offLive = this.feed.on(['eval-progress', 'eval-result'], (event) => {
      if (event.type === 'eval-progress' && event.runId === runId) {
        this.progress = progressOf(event);
        if (runFinished(event.status)) void this.complete();
      } else if (event.type === 'eval-result' && event.runId === runId) {
        void this.refresh();
      }
    });
    this.poll = setInterval(() => {
      void this.refresh().then(() => {
        if (this.progress && runFinished(this.progress.status)) void this.complete();
      });
    }, 3000);
  }

  private async complete(): Promise<void> {
    this.stop();
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    try {
      const run = await getJson<EvalRunDetail>(`/api/eval-runs/${runId}`);
      if (this.runId !== runId) return;
      this.progress = progressOf(run);
      this.results = run.results;
      this.detail = run;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  stop(): void {
    this.offLive?.();
    this.offLive = undefined;
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }
}
