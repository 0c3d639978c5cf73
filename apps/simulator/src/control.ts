/**
 * Runtime control of the fleet, for demos and reliability tests: loopback only, and a
 * bearer token (or `x-control-token`). `POST /control/models/:model` patches a model,
 * `GET /control/fleet` shows the current fleet, `POST /control/reset` restores it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { modelPatchSchema, type FleetState } from './fleet-state';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerControlRoutes(app: FastifyInstance, state: FleetState, token: string, refresh: () => Promise<void>): void {
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
      return reply.code(403).send({ error: { message: 'control endpoint is loopback only', type: 'permission_error', code: 'forbidden' } });
    }
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : (request.headers['x-control-token'] as string | undefined);
    if (!tokenMatches(given, token)) {
      return reply.code(401).send({ error: { message: 'missing or wrong control token', type: 'authentication_error', code: 'auth' } });
    }
    return undefined;
  };

  app.register(async (control) => {
    control.addHook('onRequest', guard);
    control.get('/control/fleet', async () => ({ models: state.snapshot() }));
    control.post('/control/reset', async () => {
      state.reset();
      return { models: state.snapshot() };
    });
    control.post('/control/datasets/refresh', async () => {
      await refresh();
      return { ok: true };
    });
    control.post('/control/models/:model', async (request, reply) => {
      const parsed = modelPatchSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply.code(400).send({
          error: { message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, type: 'invalid_request_error', code: 'bad_request' },
        });
      }
      const model = state.update((request.params as { model: string }).model, parsed.data);
      if (!model) return reply.code(404).send({ error: { message: 'unknown model', type: 'not_found_error', code: 'not_found' } });
      return { model };
    });
  });
}
