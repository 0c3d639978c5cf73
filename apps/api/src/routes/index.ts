import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context';
import { healthRoutes } from './health.routes';
import { sessionRoutes } from './session.routes';
import { modelRoutes } from './models.routes';
import { leaderboardRoutes } from './leaderboard.routes';
import { probeRoutes } from './probes.routes';
import { policyRoutes } from './policies.routes';
import { routeRoutes } from './routes.routes';
import { decisionRoutes } from './decisions.routes';
import { liveRoutes } from './live.routes';
import { playgroundRoutes } from './playground.routes';
import { apiKeyRoutes } from './api-keys.routes';
import { datasetRoutes } from './datasets.routes';
import { evalRunRoutes } from './eval-runs.routes';
import { jobRoutes } from './jobs.routes';

/**
 * Every route module of the control plane. One line per module; each is
 * `(app, context) => Promise<void>` registering its routes under /api/... .
 */
export const routeModules: Array<(app: FastifyInstance, context: RouteContext) => Promise<void>> = [
  healthRoutes,
  sessionRoutes,
  modelRoutes,
  leaderboardRoutes,
  probeRoutes,
  policyRoutes,
  routeRoutes,
  decisionRoutes,
  liveRoutes,
  playgroundRoutes,
  apiKeyRoutes,
  datasetRoutes,
  evalRunRoutes,
  jobRoutes,
];
