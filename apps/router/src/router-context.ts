/** State shared by the router's handlers. The routing table is swapped whole on a policy change. */
import type { Redis } from 'ioredis';
import type { DecisionAttemptRecord, Logger, SwitchyardConfig } from '@switchyard/core';
import type { Db } from '@switchyard/db';
import type { ProviderSet } from '@switchyard/providers';
import type { ApiKeyCache, ApiKeyEntry } from './api-keys';
import type { CategoryClassifier } from './category';
import type { CircuitBreakers } from './circuit-breaker';
import type { DecisionRecorder } from './decision-recorder';
import type { RouterMetrics } from './metrics';
import type { RoutingTable } from './routing-table';

export interface LiveTable {
  table: RoutingTable;
  classify: CategoryClassifier | undefined;
}

export interface RouterContext {
  config: SwitchyardConfig;
  db: Db | undefined;
  redis: Redis | undefined;
  providerSet: ProviderSet;
  logger: Logger;
  metrics: RouterMetrics;
  breakers: CircuitBreakers;
  recorder: DecisionRecorder;
  apiKeys: ApiKeyCache | undefined;
  live: LiveTable;
  state: { ready: boolean; draining: boolean };
}

/** What a chat request decided so far; the error handler reads it to record failures too. */
export interface RoutingState {
  startedAt: number;
  route: string;
  category: string;
  categorySource: string;
  policyHash: string | null;
  candidates: ReadonlyArray<{ model: string; weight: number }>;
  chosen: string | null;
  attempts: DecisionAttemptRecord[];
  stream: boolean;
  apiKeyId: string | null;
  reason: string;
  /** A category hint the policy does not route by (the request routed by its fallback category). */
  unknownCategory: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKeyEntry | null;
    routing: RoutingState | null;
  }
}
