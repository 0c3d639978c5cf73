/**
 * The shared runtime of every HTTP adapter. A vendor supplies a `WireFormat` (how to encode
 * a request, decode a response, decode stream events, read its error bodies); this class
 * does the rest the same way for all of them: the keep-alive pool, timeouts and the
 * caller's abort signal, error mapping, SSE parsing, usage and cost.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import {
  SwitchyardError,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  type ListedModel,
  type ModelCallSettings,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamEvent,
  type Timeouts,
} from '@switchyard/core';
import { usageWithCost, type RawUsage } from '../cost';
import { countTokens, estimateRequestTokens } from '../tokenizer';
import { CallScope } from './call-scope';
import { errorFromResponse, invalidResponse, type ErrorContext, type VendorErrorDetails } from './error-mapping';
import { SseParser, type SseEvent } from './sse';

/** A response read to its end. */
interface BufferedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A decoded non-streaming response; `usage` is undefined when the vendor reported none. */
export interface DecodedResponse {
  response: Omit<ChatResponse, 'usage'>;
  usage: RawUsage | undefined;
}

/** Turns one vendor's SSE events into normalized stream events. One instance per call. */
export interface StreamDecoder {
  /** Handle one SSE event, appending to `out`. Throws SwitchyardError on error frames or malformed data. */
  onEvent(event: SseEvent, out: StreamEvent[]): void;
  /** True once the vendor has signalled a complete stream. */
  readonly complete: boolean;
  /** Token usage once the vendor has reported it. */
  readonly usage: RawUsage | undefined;
}

export interface WireFormat {
  /** Path below the base URL's path, e.g. `/chat/completions`. */
  chatPath(settings: ModelCallSettings, stream: boolean): string;
  /** Authentication (and version) headers for an API key. */
  authHeaders(apiKey: string | undefined): Record<string, string>;
  encode(request: ChatRequest, settings: ModelCallSettings, stream: boolean): unknown;
  decode(json: unknown, request: ChatRequest, settings: ModelCallSettings, context: ErrorContext): DecodedResponse;
  createStreamDecoder(request: ChatRequest, settings: ModelCallSettings, context: ErrorContext): StreamDecoder;
  errorDetails?(status: number, body: unknown): VendorErrorDetails;
  listModels?: { path: string; decode(json: unknown): ListedModel[] };
}

export interface HttpAdapterOptions {
  provider: ProviderConfig;
  format: WireFormat;
  /** Base URL used when the config sets none. */
  defaultBaseUrl: string;
}

const textEncoder = new TextEncoder();

export class HttpAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  private readonly timeouts: Timeouts;
  private readonly format: WireFormat;

  constructor(options: HttpAdapterOptions) {
    const { provider, format } = options;
    this.id = provider.id;
    this.type = provider.type;
    this.format = format;
    this.timeouts = provider.timeouts;
    const url = new URL(provider.baseUrl ?? options.defaultBaseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: provider.maxConnections,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connect: { timeout: provider.timeouts.connectMs },
    });
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...format.authHeaders(provider.apiKey),
      ...provider.headers,
    };
  }

  private timeoutsFor(options: CallOptions): Timeouts {
    return options.timeouts ? { ...this.timeouts, ...options.timeouts } : this.timeouts;
  }

  private async send(scope: CallScope, path: string, body: unknown, timeouts: Timeouts): Promise<Dispatcher.ResponseData> {
    // undici would still open a connection for an already-aborted signal.
    if (scope.aborted) throw scope.reason;
    return this.pool.request({
      method: body === undefined ? 'GET' : 'POST',
      path: this.basePath + path,
      headers: this.headers,
      ...(body === undefined ? {} : { body: textEncoder.encode(JSON.stringify(body)) }),
      signal: scope.signal,
      headersTimeout: timeouts.totalMs,
      bodyTimeout: timeouts.totalMs,
    });
  }

  /**
   * A whole-body request through undici's dispatcher: the body is collected from its chunks
   * (no body stream, no AbortSignal: the scope aborts the request through its controller).
   */
  private dispatchText(scope: CallScope, path: string, body: unknown, timeouts: Timeouts): Promise<BufferedResponse> {
    return new Promise((resolve, reject) => {
      if (scope.aborted) {
        reject(scope.reason);
        return;
      }
      let statusCode = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      this.pool.dispatch(
        {
          method: 'POST',
          path: this.basePath + path,
          headers: this.headers,
          body: JSON.stringify(body),
          headersTimeout: timeouts.totalMs,
          bodyTimeout: timeouts.totalMs,
        },
        {
          onRequestStart: (controller) => scope.onAbort((reason) => controller.abort(reason instanceof Error ? reason : new Error(String(reason)))),
          onResponseStart: (_controller, status, responseHeaders) => {
            statusCode = status;
            headers = responseHeaders;
          },
          onResponseData: (_controller, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => {
            const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
            resolve({ statusCode, headers, text });
          },
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
  }

  private async failFromResponse(response: Dispatcher.ResponseData, context: ErrorContext): Promise<SwitchyardError> {
    let text = '';
    try {
      text = await response.body.text();
    } catch {
      // The body is only for the message; the status already says what happened.
    }
    return errorFromResponse(response.statusCode, response.headers, text, context, this.format.errorDetails);
  }

  async chat(request: ChatRequest, options: CallOptions): Promise<ChatResponse> {
    const settings = options.model;
    const context: ErrorContext = { provider: this.id, model: settings.id };
    const timeouts = this.timeoutsFor(options);
    const scope = new CallScope(timeouts, context, options.signal);
    try {
      const body = this.format.encode(request, settings, false);
      const { statusCode, headers, text } = await this.dispatchText(scope, this.format.chatPath(settings, false), body, timeouts);
      if (statusCode >= 400) throw errorFromResponse(statusCode, headers, text, context, this.format.errorDetails);
      scope.firstToken();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw invalidResponse(context, 'response body is not JSON', error);
      }
      const decoded = this.format.decode(json, request, settings, context);
      return { ...decoded.response, usage: this.usageOf(decoded, request, settings) };
    } catch (error) {
      throw scope.fail(error);
    } finally {
      scope.dispose();
    }
  }

  private usageOf(decoded: DecodedResponse, request: ChatRequest, settings: ModelCallSettings): ChatResponse['usage'] {
    const usage = decoded.usage;
    if (usage) return usageWithCost(settings.price, usage.promptTokens, usage.completionTokens, usage.cachedTokens, false);
    let completion = 0;
    for (const choice of decoded.response.choices) {
      completion += countTokens(choice.message.content ?? '');
      for (const call of choice.message.tool_calls ?? []) completion += countTokens(call.function.arguments);
    }
    return usageWithCost(settings.price, estimateRequestTokens(request), completion, undefined, true);
  }

  async *stream(request: ChatRequest, options: CallOptions): AsyncGenerator<StreamEvent> {
    const settings = options.model;
    const context: ErrorContext = { provider: this.id, model: settings.id };
    const timeouts = this.timeoutsFor(options);
    const scope = new CallScope(timeouts, context, options.signal);
    let response: Dispatcher.ResponseData | undefined;
    try {
      const body = this.format.encode(request, settings, true);
      response = await this.send(scope, this.format.chatPath(settings, true), body, timeouts);
      if (response.statusCode >= 400) throw await this.failFromResponse(response, context);
      const decoder = this.format.createStreamDecoder(request, settings, context);
      const parser = new SseParser();
      const out: StreamEvent[] = [];
      const onEvent = (event: SseEvent): void => decoder.onEvent(event, out);
      // Kept only to estimate tokens if the vendor never reports usage.
      const produced: string[] = [];
      let firstToken = false;
      const signal = scope.signal;
      // Bookkeeping per event; the loops below stay inline (no generator per chunk on the hot path).
      const admit = (event: StreamEvent): boolean => {
        // A caller abort or a timer stops the stream now, even with events already buffered.
        if (signal.aborted) throw signal.reason;
        if (event.type === 'text') produced.push(event.text);
        else if (event.type === 'tool-call') produced.push(event.argumentsDelta);
        else if (event.type === 'usage') return false;
        if (!firstToken && event.type !== 'start') {
          firstToken = true;
          scope.firstToken();
        }
        return true;
      };
      const usageEvent = (): StreamEvent => {
        const usage = decoder.usage;
        return {
          type: 'usage',
          usage: usage
            ? usageWithCost(settings.price, usage.promptTokens, usage.completionTokens, usage.cachedTokens, false)
            : usageWithCost(settings.price, estimateRequestTokens(request), countTokens(produced.join('')), undefined, true),
        };
      };
      // The usage event is the last one, yielded as soon as the vendor signalled completion (so
      // a caller can finish its own response in the same tick); the body is read to its end
      // afterwards, quietly, so the connection stays reusable.
      let usageYielded = false;
      for await (const chunk of response.body) {
        if (usageYielded) continue;
        parser.push(chunk as Buffer, onEvent);
        if (out.length > 0) {
          for (let index = 0; index < out.length; index += 1) {
            const event = out[index] as StreamEvent;
            if (admit(event)) yield event;
          }
          out.length = 0;
        }
        if (decoder.complete) {
          if (signal.aborted) throw signal.reason;
          usageYielded = true;
          yield usageEvent();
        }
      }
      if (usageYielded) return;
      if (!decoder.complete) {
        parser.end(onEvent);
        for (let index = 0; index < out.length; index += 1) {
          const event = out[index] as StreamEvent;
          if (admit(event)) yield event;
        }
        out.length = 0;
      }
      if (!decoder.complete) {
        throw new SwitchyardError('upstream', `${this.id}: stream ended before completion`, {
          provider: this.id,
          model: settings.id,
          retryable: true,
        });
      }
      if (signal.aborted) throw signal.reason;
      yield usageEvent();
    } catch (error) {
      throw scope.fail(error);
    } finally {
      scope.dispose();
      // Early exit by the consumer, or an error: release the connection now.
      if (response && !response.body.destroyed) response.body.destroy();
    }
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<ListedModel[]> {
    const listing = this.format.listModels;
    if (!listing) return [];
    const context: ErrorContext = { provider: this.id };
    const scope = new CallScope(this.timeouts, context, options.signal);
    try {
      const response = await this.send(scope, listing.path, undefined, this.timeouts);
      if (response.statusCode >= 400) throw await this.failFromResponse(response, context);
      const text = await response.body.text();
      try {
        return listing.decode(JSON.parse(text));
      } catch (error) {
        throw invalidResponse(context, 'model list is malformed', error);
      }
    } catch (error) {
      throw scope.fail(error);
    } finally {
      scope.dispose();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
