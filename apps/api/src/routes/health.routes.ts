import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';

export async function healthRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    await sql`select 1`
      .execute(context.db)
      .then(() => (checks.postgres = 'ok'))
      .catch((error: Error) => (checks.postgres = `error: ${error.message}`));
    await context.redis
      .ping()
      .then(() => (checks.redis = 'ok'))
      .catch((error: Error) => (checks.redis = `error: ${error.message}`));
    const ready = !context.state.draining && Object.values(checks).every((value) => value === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : context.state.draining ? 'draining' : 'not_ready', checks });
  });
}
