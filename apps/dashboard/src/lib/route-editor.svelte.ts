import { errorText, sendJson } from './api';
import type { RouteItem } from './types';

export interface RouteDraft {
  name: string;
  description: string;
  candidates: string[];
  objective: { quality: number; cost: number; latency: number };
  constraints: {
    maxCostPerRequestUsd: number | null;
    maxCostPerMTok: number | null;
    maxTtftMs: number | null;
    minQuality: number | null;
    budgetPer1kUsd: number | null;
  };
  enabled: boolean;
}

export function draftOf(route: RouteItem | null): RouteDraft {
  return {
    name: route?.name ?? '',
    description: route?.description ?? '',
    candidates: [...(route?.candidates ?? [])],
    objective: { quality: 1, cost: 0.3, latency: 0.1, ...(route?.objective ?? {}) },
    constraints: {
      maxCostPerRequestUsd: route?.constraints.maxCostPerRequestUsd ?? null,
      maxCostPerMTok: route?.constraints.maxCostPerMTok ?? null,
      maxTtftMs: route?.constraints.maxTtftMs ?? null,
      minQuality: route?.constraints.minQuality ?? null,
      budgetPer1kUsd: route?.constraints.budgetPer1kUsd ?? null,
    },
    enabled: route?.enabled ?? true,
  };
}

/** The body PUT /api/routes/:name expects: empty constraints left out. */
export function bodyOf(draft: RouteDraft) {
  const constraints: Record<string, number> = {};
  for (const [key, value] of Object.entries(draft.constraints)) if (typeof value === 'number' && Number.isFinite(value) && value > 0) constraints[key] = value;
  return {
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    candidates: draft.candidates,
    objective: draft.objective,
    constraints,
    enabled: draft.enabled,
  };
}

/** Editing one route: the draft, validation, and saving (which asks for an optimize run). */
export class RouteEditor {
  draft = $state<RouteDraft>(draftOf(null));
  isNew = $state(true);
  saving = $state(false);
  error = $state<string | null>(null);
  saved = $state<string | null>(null);

  nameError = $derived(/^[a-z0-9][a-z0-9_-]*$/.test(this.draft.name) ? null : 'Lower-case letters, digits, - and _ (e.g. "support")');

  edit(route: RouteItem | null): void {
    this.draft = draftOf(route);
    this.isNew = route === null;
    this.error = null;
    this.saved = null;
  }

  async save(): Promise<boolean> {
    if (this.nameError) {
      this.error = this.nameError;
      return false;
    }
    this.saving = true;
    this.error = null;
    try {
      const answer = await sendJson<{ optimize?: string; pinnedBy?: string }>('PUT', `/api/routes/${this.draft.name}`, bodyOf(this.draft));
      this.saved =
        answer.optimize === 'requested'
          ? 'Saved. The optimizer runs now and publishes a new policy if the weights move.'
          : answer.optimize === 'pinned'
            ? `Saved. The current policy is pinned (by ${answer.pinnedBy ?? 'someone'}), so the optimizer publishes nothing until learning resumes on the Policy page. Meanwhile a new route serves by the cold-start rule (the cheapest eligible model) and an edited one keeps the pinned policy's weights.`
            : 'Saved.';
      this.isNew = false;
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
