/**
 * optimize: evidence from Postgres in, a policy published (or not) out.
 *
 * How it works: the evidence is read as aggregates (evidence.repository.ts) — offline eval
 * quality per model × category, live outcomes per hour bucket (the optimizer decays them
 * with `optimizer.halfLifeHours`), probe latency percentiles, prices — plus labelled eval
 * items for the category classifier. `buildPolicy` turns it into a candidate; it is
 * published only when `shouldPublish` finds a material change against the current policy,
 * in one transaction under an advisory lock that refuses if another publish moved the
 * pointer meanwhile, then announced to routers through Redis.
 */
import { routeRowToConfig, getCurrentPolicy, getPolicyPin, listModels, listRoutes, publishAndAnnounce, evalEvidence, liveEvidence, probeEvidence, classifierTrainingItems, contextualTrainingItems } from '@switchyard/db';
import { buildPolicy, shouldPublish, type BuildPolicyInput, type ModelInput } from '@switchyard/optimizer';
import { parsePolicyDocument, policyHash, type PolicyDocument } from '@switchyard/policy';
import type { RouteConfig } from '@switchyard/core';
import type { JobsContext } from './context';

export interface OptimizeResult {
  published: boolean;
  reason: string;
  hash: string | null;
  previousHash: string | null;
  evidence: { evalStats: number; liveStats: number; probeStats: number; models: number; routes: number };
}

type OptimizeContext = Pick<JobsContext, 'config' | 'db' | 'redis' | 'prefix' | 'logger'>;

/** Everything `buildPolicy` needs, read from Postgres. */
export async function loadOptimizerInput(context: OptimizeContext, now: Date = new Date()): Promise<Omit<BuildPolicyInput, 'seed'>> {
  const settings = context.config.optimizer;
  const windowHours = Math.max(24, 8 * settings.halfLifeHours);
  const [modelRows, routeRows, evalStats, liveRows, probeStats, current] = await Promise.all([
    listModels(context.db),
    listRoutes(context.db),
    evalEvidence(context.db),
    liveEvidence(context.db, { since: new Date(now.getTime() - windowHours * 3_600_000), bucket: settings.halfLifeHours < 2 ? 'minute' : 'hour' }),
    probeEvidence(context.db, { since: new Date(now.getTime() - 24 * 3_600_000) }),
    getCurrentPolicy(context.db),
  ]);
  const models: ModelInput[] = modelRows.map((row) => ({
    id: row.id,
    price: {
      inputPerMTok: row.input_price_per_mtok,
      outputPerMTok: row.output_price_per_mtok,
      ...(row.cached_input_price_per_mtok === null ? {} : { cachedInputPerMTok: row.cached_input_price_per_mtok }),
    },
    ...(row.context_window === null ? {} : { contextWindow: row.context_window }),
    capabilities: row.capabilities as Record<string, boolean>,
    // A misconfigured model cannot serve: it stays in the catalog but gets no traffic.
    enabled: row.enabled && row.status !== 'misconfigured',
  }));
  const routes: RouteConfig[] = routeRows.length > 0 ? routeRows.filter((row) => row.enabled).map(routeRowToConfig) : context.config.routes;
  let parent: PolicyDocument | null = null;
  if (current) {
    try {
      parent = parsePolicyDocument(current.document);
    } catch (error) {
      context.logger.warn({ err: error, hash: current.hash }, 'the current policy does not parse; building without a parent');
    }
  }
  const classifierItems = await classifierTrainingItems(context.db, { limit: 5_000 });
  const contextualItems = settings.algorithm === 'contextual' ? await contextualTrainingItems(context.db, { limit: 20_000 }) : [];
  return {
    routes,
    models,
    evalStats,
    liveStats: liveRows,
    probeStats,
    classifierTrainingItems: classifierItems,
    ...(contextualItems.length > 0 ? { contextualItems } : {}),
    parent,
    settings,
    now,
  };
}

/** Why a pinned policy is left in place. */
function pinnedReason(pin: { by: string; at: Date }): string {
  return `the current policy is pinned by ${pin.by} since ${new Date(pin.at).toISOString()} (a rollback or a hand publish); unpin it to resume learning`;
}

export async function processOptimize(context: OptimizeContext, options: { now?: Date; seed?: number; actor?: string } = {}): Promise<OptimizeResult> {
  const now = options.now ?? new Date();
  // A person chose the current policy: leave it, and skip the work.
  const pin = await getPolicyPin(context.db);
  if (pin) {
    return { published: false, reason: pinnedReason(pin), hash: null, previousHash: pin.hash, evidence: { evalStats: 0, liveStats: 0, probeStats: 0, models: 0, routes: 0 } };
  }
  const input = await loadOptimizerInput(context, now);
  const evidence = {
    evalStats: input.evalStats.length,
    liveStats: input.liveStats.length,
    probeStats: input.probeStats.length,
    models: input.models.length,
    routes: input.routes.length,
  };
  const currentHash = input.parent ? policyHash(input.parent) : null;
  const storedCurrent = await getCurrentPolicy(context.db);
  const parentHash = storedCurrent?.hash ?? currentHash;
  if (input.models.filter((model) => model.enabled).length === 0) {
    return { published: false, reason: 'no enabled model to route to', hash: null, previousHash: parentHash, evidence };
  }
  // A fixed seed: the same evidence gives the same weights, so Monte Carlo noise alone never causes a publish.
  const candidate = buildPolicy({ ...input, seed: options.seed ?? 1 });
  const decision = shouldPublish(input.parent, candidate, context.config.optimizer.publishThreshold, context.config.optimizer.publishMinGain);
  if (!decision.publish) {
    context.logger.debug({ reason: decision.reason }, 'optimize: no material change, not publishing');
    return { published: false, reason: decision.reason, hash: null, previousHash: parentHash, evidence };
  }
  const hash = policyHash(candidate);
  const outcome = await publishAndAnnounce(
    context.db,
    context.redis,
    context.prefix,
    {
      hash,
      schemaVersion: candidate.schemaVersion,
      parentHash,
      document: candidate as unknown as Record<string, unknown>,
      createdBy: options.actor ?? 'optimizer',
      note: decision.reason,
    },
    { expectedParent: parentHash, unlessPinned: true },
  );
  if (!outcome.published) {
    const reason = outcome.reason === 'pinned' ? pinnedReason(outcome.pin) : outcome.reason === 'parent_moved' ? 'another publish moved the current policy meanwhile' : 'unchanged';
    return { published: false, reason, hash: null, previousHash: parentHash, evidence };
  }
  context.logger.info({ hash, previousHash: parentHash, reason: decision.reason }, 'policy published');
  return { published: true, reason: decision.reason, hash, previousHash: parentHash, evidence };
}
