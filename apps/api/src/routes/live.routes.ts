import type { FastifyInstance } from 'fastify';
import type { LiveEvent } from '@switchyard/core';
import type { RouteContext } from '../context';
import { openEventStream } from '../live-events';
import { documented } from './route-schema';

/** The first frame of every stream, so a client knows it is connected before any event. */
const helloEvent = () => ({ type: 'hello' as const, at: new Date().toISOString() });

/** What a client of GET /api/live receives: the hello frame, then the events our processes publish. */
export type LiveStreamEvent = ReturnType<typeof helloEvent> | LiveEvent;

/** GET /api/live: server-sent events of new probes, eval progress/results, policies, decisions. */
export async function liveRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.get(
    '/api/live',
    documented({ tags: ['live'], summary: 'Server-sent events: {type: probe|eval-progress|eval-result|policy|decisions|models, ...}', produces: ['text/event-stream'] }),
    async (_request, reply) => {
      const stream = openEventStream(reply);
      stream.send(undefined, helloEvent());
      const stop = await context.live.listen((_event, line) => stream.write(`data: ${line}\n\n`));
      // The client may have left while the subscription was opening.
      if (stream.closed) stop();
      else stream.onClose(stop);
    },
  );
}
