/**
 * The fleet as it is right now. The control endpoint patches a model (error rates, latency,
 * skill) while the simulator runs — how demos and reliability tests make a model degrade —
 * and `reset` restores the fleet as loaded.
 */
import { z } from 'zod';
import { fleetModelSchema, type Fleet, type FleetModel, type SimulatorFormat } from '@switchyard/providers';

const rate = z.number().min(0).max(1);

export const modelPatchSchema = z.strictObject({
  errorRates: z.strictObject({ '500': rate, '503': rate, '429': rate, '529': rate }).partial().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  timeoutRate: rate.optional(),
  cutRate: rate.optional(),
  latency: z.strictObject({ ttftMedianMs: z.number().nonnegative(), ttftSpread: z.number().min(0).max(3), tokensPerSecond: z.number().positive() }).partial().optional(),
  skills: z.record(z.string(), rate).optional(),
  /** Sets every listed category (and `general`) to one value. */
  skill: rate.optional(),
  verbosity: z.number().positive().optional(),
});
export type ModelPatch = z.infer<typeof modelPatchSchema>;

function clone(model: FleetModel): FleetModel {
  return structuredClone(model);
}

export class FleetState {
  private models = new Map<string, FleetModel>();

  constructor(private readonly original: Fleet) {
    this.reset();
  }

  reset(): void {
    this.models = new Map(this.original.models.map((model) => [model.name, clone(model)]));
  }

  get(name: string): FleetModel | undefined {
    return this.models.get(name);
  }

  byFormat(format: SimulatorFormat): FleetModel[] {
    return [...this.models.values()].filter((model) => model.format === format);
  }

  snapshot(): FleetModel[] {
    return [...this.models.values()].map(clone);
  }

  /** Apply a patch; returns the updated model, or undefined for an unknown model. */
  update(name: string, patch: ModelPatch): FleetModel | undefined {
    const current = this.models.get(name);
    if (!current) return undefined;
    const next = clone(current);
    if (patch.errorRates) next.reliability.errorRates = { ...next.reliability.errorRates, ...patch.errorRates };
    if (patch.retryAfterSeconds !== undefined) next.reliability.retryAfterSeconds = patch.retryAfterSeconds;
    if (patch.timeoutRate !== undefined) next.reliability.timeoutRate = patch.timeoutRate;
    if (patch.cutRate !== undefined) next.reliability.cutRate = patch.cutRate;
    if (patch.latency) next.latency = { ...next.latency, ...patch.latency };
    if (patch.skill !== undefined) for (const category of Object.keys(next.skills)) next.skills[category] = patch.skill;
    if (patch.skills) next.skills = { ...next.skills, ...patch.skills };
    if (patch.verbosity !== undefined) next.verbosity = patch.verbosity;
    const parsed = fleetModelSchema.parse(next);
    this.models.set(name, parsed);
    return clone(parsed);
  }
}
