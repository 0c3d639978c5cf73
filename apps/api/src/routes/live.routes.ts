import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { redisKeys } from '@switchyard/core';
import type { ApiContext } from '../context';
import { documented } from './route-schema';

const HEARTBEAT_MS = 15_000;

/**
 * One Redis subscriber per API process, fanned out to every connected dashboard. The
 * subscription opens with the first client and closes with the app.
 */
class LiveHub {
  private subscriber: Redis | undefined;
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly context: ApiContext) {}

  get size(): number {
    return this.clients.size;
  }

  async add(client: ServerResponse): Promise<void> {
    this.clients.add(client);
    if (!this.subscriber) {
      const channel = redisKeys(this.context.config.redisPrefix).eventsChannel;
      const subscriber = this.context.redis.duplicate();
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, message: string) => this.broadcast(message));
      subscriber.on('error', (error: Error) => this.context.logger.warn({ err: error }, 'live subscriber error'));
      await subscriber.subscribe(channel);
      this.heartbeat = setInterval(() => {
        for (const each of this.clients) each.write(': ping\n\n');
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  remove(client: ServerResponse): void {
    this.clients.delete(client);
  }

  private broadcast(message: string): void {
    // Messages are JSON LiveEvents written by our own processes; re-serialize to be sure it is one line.
    let line: string;
    try {
      line = JSON.stringify(JSON.parse(message));
    } catch {
      return;
    }
    for (const client of this.clients) client.write(`data: ${line}\n\n`);
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}

/** GET /api/live: server-sent events of new probes, eval progress/results, policies, decisions. */
export async function liveRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const hub = new LiveHub(context);
  app.addHook('onClose', async () => hub.close());

  app.get(
    '/api/live',
    documented({ tags: ['live'], summary: 'Server-sent events: {type: probe|eval-progress|eval-result|policy|decisions|models, ...}', produces: ['text/event-stream'] }),
    async (_request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      raw.write(`retry: 3000\ndata: ${JSON.stringify({ type: 'hello', at: new Date().toISOString() })}\n\n`);
      raw.on('close', () => hub.remove(raw));
      await hub.add(raw);
    },
  );
}
