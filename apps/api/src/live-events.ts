/**
 * Server-sent events in the control plane. `LiveHub` holds one Redis subscription per API
 * process to the events channel our processes publish on, and fans each event out to the
 * streams listening; `openEventStream` turns a request into an SSE response with the usual
 * headers, a heartbeat and a close that runs once, whoever closes first.
 */
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { redisKeys, type LiveEvent, type Logger } from '@switchyard/core';

const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 3000;

/** Receives each event and its canonical one-line JSON. */
export type LiveListener = (event: LiveEvent, line: string) => void;

export class LiveHub {
  private subscriber: Redis | undefined;
  private subscribing: Promise<unknown> | undefined;
  private readonly listeners = new Set<LiveListener>();

  constructor(private readonly options: { redis: Redis; prefix: string; logger: Logger }) {}

  /**
   * Start hearing events; resolves once the subscription is live (so no event published
   * after it is missed). Returns the function that stops listening.
   */
  async listen(listener: LiveListener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const subscriber = this.options.redis.duplicate();
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, message: string) => this.broadcast(message));
      subscriber.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'live subscriber error'));
      this.subscribing = subscriber.subscribe(redisKeys(this.options.prefix).eventsChannel);
    }
    await this.subscribing;
    return () => this.listeners.delete(listener);
  }

  private broadcast(message: string): void {
    // Messages are LiveEvents written by our own processes; re-serialized so each is one line.
    let event: LiveEvent;
    try {
      event = JSON.parse(message) as LiveEvent;
    } catch {
      return;
    }
    const line = JSON.stringify(event);
    for (const listener of this.listeners) listener(event, line);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscribing = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}

export interface EventStream {
  /** Write a raw frame (ignored once the stream is closed). */
  write(frame: string): void;
  /** An `event:` (optional) and `data:` frame. */
  send(event: string | undefined, data: unknown): void;
  /** End the response and run the `onClose` callbacks (once). */
  close(): void;
  /** Runs when the stream closes, by `close()` or because the client left. */
  onClose(callback: () => void): void;
  readonly closed: boolean;
}

/** Hijack the reply into an SSE stream: headers, `retry`, a heartbeat comment, one close. */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  const callbacks: Array<() => void> = [];
  let closed = false;
  const write = (frame: string): void => {
    // An event can still arrive after the client left and the stream ended.
    if (!closed && !raw.writableEnded) raw.write(frame);
  };
  const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const callback of callbacks) callback();
    raw.end();
  };
  raw.on('close', close);
  write(`retry: ${RETRY_MS}\n\n`);
  return {
    write,
    send: (event, data) => write(`${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`),
    close,
    onClose: (callback) => callbacks.push(callback),
    get closed() {
      return closed;
    },
  };
}
