import { errorText, getJson, query, sendJson } from './api';
import type { EvalRun } from './types';

/** A page of GET /api/eval-runs. */
interface EvalRunPage {
  items: EvalRun[];
  total?: number;
  nextOffset: number | null;
}

export const runFinished = (status: string): boolean => status === 'completed' || status === 'failed' || status === 'cancelled';

/**
 * The recent eval runs (GET /api/eval-runs, newest first): the first-start ones, those
 * started from other browsers or the CLI, and this session's. A row can be cancelled while
 * it is queued or running.
 */
export class EvalRunList {
  items = $state.raw<EvalRun[]>([]);
  total = $state<number | null>(null);
  status = $state<'' | EvalRun['status']>('');
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(readonly limit = 20) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      const page = await getJson<EvalRunPage>(`/api/eval-runs${query({ limit: this.limit, status: this.status })}`);
      this.items = page.items;
      this.total = page.total ?? null;
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.loading = false;
    }
  }

  /** Cancel a queued or running run; its row shows the answer at once. */
  async cancel(id: string): Promise<void> {
    try {
      const run = await sendJson<EvalRun>('POST', `/api/eval-runs/${id}/cancel`, {});
      this.items = this.items.map((item) => (item.id === id ? run : item));
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }
}
