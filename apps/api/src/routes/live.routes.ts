import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context';
import { openEventStream } from '../live-events';
import { documented } from './route-schema';

/** GET /api/live: server-sent events of new probes, eval progress/results, policies, decisions. */
export async function liveRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.get(
    '/api/live',
    documented({ tags: ['live'], summary: 'Server-sent events: {type: probe|eval-progress|eval-result|policy|decisions|models, ...}', produces: ['text/event-stream'] }),
    async (_request, reply) => {
      const stream = openEventStream(reply);
      stream.send(undefined, { type: 'hello', at: new Date().toISOString() });
      const stop = await context.live.listen((_event, line) => stream.write(`data: ${line}\n\n`));
      // The client may have left while the subscription was opening.
      if (stream.closed) stop();
      else stream.onClose(stop);
    },
  );
}
