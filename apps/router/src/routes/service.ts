/** GET /v1/models, POST /v1/feedback, /healthz, /readyz, /metrics. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SwitchyardError } from '@switchyard/core';
import { decisionExists, insertFeedback, type Db } from '@switchyard/db';
import type { DecisionRecorder } from '../decision-recorder';
import type { RouterContext } from '../router-context';
import { COLD_START_RULE } from '../routing-table';
import { requestIdOf } from './chat-completions';

const feedbackSchema = z.looseObject({
  request_id: z.string().min(1).max(200),
  score: z.number().min(0).max(1),
  comment: z.string().max(4000).optional(),
});

/**
 * Whether a request id names a routed request: still in this router's recorder, ingested into
 * Postgres, or in the decision stream waiting to be. 'unsure' when that cannot be told (Redis
 * away, or more entries waiting than are searched): the feedback is then kept.
 */
async function requestKnown(recorder: DecisionRecorder, db: Db, requestId: string): Promise<'known' | 'unknown' | 'unsure'> {
  if (recorder.has(requestId)) return 'known';
  if (await decisionExists(db, requestId)) return 'known';
  const waiting = await recorder.inStream(requestId);
  return waiting === undefined ? 'unsure' : waiting ? 'known' : 'unknown';
}

export function registerServiceRoutes(app: FastifyInstance, context: RouterContext): void {
  app.get('/v1/models', async (request, reply) => {
    reply.header('x-request-id', request.id);
    return reply.type('application/json').send(context.live.table.modelsListBody);
  });

  app.post('/v1/feedback', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const body = feedbackSchema.parse(request.body);
    if (!context.db) throw new SwitchyardError('unavailable', 'Feedback needs the database, which this router runs without');
    // The completion's `id` names its request too (chatcmpl-<request id>).
    const requestId = requestIdOf(body.request_id);
    // Feedback on an id no request had would never reach the optimizer: say so instead.
    if ((await requestKnown(context.recorder, context.db, requestId)) === 'unknown') {
      throw new SwitchyardError(
        'not_found',
        `No request routed here has id "${body.request_id}". Send the chat completion's "id" or the value of its response's x-request-id header.`,
        { param: 'request_id', retryable: false },
      );
    }
    const row = await insertFeedback(context.db, {
      requestId,
      score: body.score,
      comment: body.comment ?? null,
      source: 'user',
      detail: request.apiKey ? { apiKeyId: request.apiKey.id } : null,
    });
    return reply.code(201).send({ object: 'feedback', id: String(row.id), request_id: requestId, score: body.score });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const { table } = context.live;
    const ready = context.state.ready && !context.state.draining && table.routes.size > 0;
    const circuits = context.breakers.states().filter((circuit) => circuit.state !== 'closed');
    return reply.code(ready ? 200 : 503).send({
      status: context.state.draining ? 'draining' : ready ? 'ready' : 'starting',
      policy: {
        hash: table.policyHash,
        algorithm: table.algorithm,
        loadedAt: table.loadedAt,
        coldStart: table.coldStart,
        ...(table.coldStart ? { coldStartRule: COLD_START_RULE } : {}),
        ...(table.coldStartRoutes.length > 0 ? { coldStartRoutes: table.coldStartRoutes, coldStartRule: COLD_START_RULE } : {}),
      },
      routes: [...table.routes.values()].map((route) => ({ name: route.name, source: route.source, categories: [...route.categories.keys()] })),
      models: table.models.size,
      circuits,
      decisions: { buffered: context.recorder.buffered, written: context.recorder.written, dropped: context.recorder.dropped },
      redis: context.redis ? context.redis.status : 'none',
      auth: context.config.router.auth,
    });
  });

  app.get('/metrics', async (_request, reply) => {
    for (const circuit of context.breakers.states()) context.metrics.circuit(circuit.model, circuit.state);
    const body = await context.metrics.render();
    return reply.type(context.metrics.registry.contentType).send(body);
  });
}
