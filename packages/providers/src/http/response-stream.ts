/**
 * Responses read through undici's dispatcher, without body streams or AbortSignals. A
 * non-streamed call collects its chunks and settles once (`dispatchBuffered`). A stream reads
 * its body as a queue of chunks (`dispatchStreamed`): the dispatch handler
 * pushes, the reader awaits `next()` (a chunk, or null at the end). No stream object and no
 * AbortSignal per call. Backpressure: past `HIGH_WATER` queued chunks the request is paused
 * until the reader has drained the queue to `LOW_WATER`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import type { CallScope } from './call-scope';

const HIGH_WATER = 64;
const LOW_WATER = 8;

interface Waiter {
  resolve(chunk: Buffer | null): void;
  reject(error: unknown): void;
}

function joined(parts: readonly Buffer[]): string {
  if (parts.length === 1) return (parts[0] as Buffer).toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

export class ResponseBody {
  private readonly chunks: Buffer[] = [];
  private head = 0;
  private waiter: Waiter | undefined;
  private failure: unknown;
  private failed = false;
  private ended = false;
  controller: Dispatcher.DispatchController | undefined;

  /** True once the whole body arrived (or the request failed). */
  get done(): boolean {
    return this.ended || this.failed;
  }

  push(chunk: Buffer): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve(chunk);
      return;
    }
    this.chunks.push(chunk);
    if (this.chunks.length - this.head >= HIGH_WATER && this.controller && !this.controller.paused) this.controller.pause();
  }

  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(null);
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failed = true;
    this.failure = error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  /** The next chunk, or null once the body ended. Rejects with the request's error. */
  next(): Promise<Buffer | null> {
    if (this.head < this.chunks.length) {
      const chunk = this.chunks[this.head] as Buffer;
      this.head += 1;
      if (this.head === this.chunks.length) {
        this.chunks.length = 0;
        this.head = 0;
      }
      if (this.controller?.paused && this.chunks.length - this.head <= LOW_WATER) this.controller.resume();
      return Promise.resolve(chunk);
    }
    if (this.failed) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** The rest of the body as text (error bodies on the streaming path; rare, so chunk by chunk). */
  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for (let chunk = await this.next(); chunk; chunk = await this.next()) parts.push(chunk);
    return joined(parts);
  }

  /**
   * Stop reading: the request is aborted (its connection closed) with an error of this message,
   * unless the body already ended (the usual case: the error, and its stack, are built only when
   * there is something to abort).
   */
  cancel(message: string): void {
    if (this.done) return;
    this.controller?.abort(new Error(message));
  }
}

export interface StreamedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
}

/** The scope's timers and the caller's signal abort the request through its controller. */
function abortWith(scope: CallScope, controller: Dispatcher.DispatchController): void {
  scope.onAbort((reason) => controller.abort(reason instanceof Error ? reason : new Error(String(reason))));
}

export interface BufferedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/*
 * The dispatch handlers are classes: one object per call with its methods defined once,
 * instead of five closures per call (each also named at run time by the TypeScript loader).
 */

class BufferedHandler implements Dispatcher.DispatchHandler {
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly parts: Buffer[] = [];

  constructor(
    private readonly scope: CallScope,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    abortWith(this.scope, controller);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.statusCode = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.parts.push(chunk);
  }

  onResponseEnd(): void {
    this.resolve({ statusCode: this.statusCode, headers: this.headers, text: joined(this.parts) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.statusCode >= 400) this.resolve({ statusCode: this.statusCode, headers: this.headers, text: this.parts.length > 0 ? joined(this.parts) : '' });
    else this.reject(error);
  }
}

/**
 * Dispatch a request and read its whole body: one promise, settled at the response's end
 * (the lean path of a non-streamed call). An error response (status ≥ 400) whose body is cut
 * still resolves, with the part that arrived: the status says what happened (a 429 with its
 * retry-after stays a 429, not a network error); the body only adds the vendor's message.
 */
export function dispatchBuffered(pool: Pool, options: Dispatcher.DispatchOptions, scope: CallScope): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    if (scope.aborted) {
      reject(scope.reason);
      return;
    }
    pool.dispatch(options, new BufferedHandler(scope, resolve, reject));
  });
}

class StreamedHandler implements Dispatcher.DispatchHandler {
  private readonly body = new ResponseBody();
  private started = false;

  constructor(
    private readonly scope: CallScope,
    private readonly resolve: (response: StreamedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.body.controller = controller;
    abortWith(this.scope, controller);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.started = true;
    this.resolve({ statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body.push(chunk);
  }

  onResponseEnd(): void {
    this.body.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.started) this.body.fail(error);
    else this.reject(error);
  }
}

/**
 * Dispatch a request; resolves at the response's start with its body as a `ResponseBody`.
 */
export function dispatchStreamed(pool: Pool, options: Dispatcher.DispatchOptions, scope: CallScope): Promise<StreamedResponse> {
  return new Promise((resolve, reject) => {
    if (scope.aborted) {
      reject(scope.reason);
      return;
    }
    pool.dispatch(options, new StreamedHandler(scope, resolve, reject));
  });
}
