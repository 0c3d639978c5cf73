import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';
import { healthRoutes } from './health.routes';

/**
 * Every route module of the control plane. One line per module; each is
 * `(app, context) => Promise<void>` registering its routes under /api/... .
 */
export const routeModules: Array<(app: FastifyInstance, context: ApiContext) => Promise<void>> = [
  healthRoutes,
];
