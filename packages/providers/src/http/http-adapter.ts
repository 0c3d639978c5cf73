/**
 * The shared runtime of every HTTP adapter. A vendor supplies a `WireFormat` (how to encode
 * a request, decode a response, decode stream events, read its error bodies); this class
 * does the rest the same way for all of them: the keep-alive pool, timeouts and the
 * caller's abort signal, error mapping, SSE parsing, usage and cost.
 */
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
import { dispatchBuffered, dispatchStreamed, type StreamedResponse } from './response-stream';
import { SseParser, type SseEvent } from './sse';

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
  /** The most choices (`n`) the vendor returns per call; see ProviderAdapter. */
  readonly maxChoices: number;
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


/** Events one by one; a caller abort or a timer stops them at once, even those already read. */
function* oneByOne(events: readonly StreamEvent[], scope: CallScope): Generator<StreamEvent> {
  for (const event of events) {
    if (scope.aborted) throw scope.reason;
    yield event;
  }
}

export class HttpAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type: string;
  readonly maxChoices: number;
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
    this.maxChoices = format.maxChoices;
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

  /** The dispatch of a POST of `body` as JSON (a GET without one). */
  private requestOptions(path: string, body: unknown, timeouts: Timeouts): Dispatcher.DispatchOptions {
    return {
      method: body === undefined ? 'GET' : 'POST',
      path: this.basePath + path,
      headers: this.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headersTimeout: timeouts.totalMs,
      bodyTimeout: timeouts.totalMs,
    };
  }

  /** The typed error of a failed response, its body read for the vendor's message. */
  private async failFromBody(response: StreamedResponse, context: ErrorContext): Promise<SwitchyardError> {
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
      const { statusCode, headers, text } = await dispatchBuffered(this.pool, this.requestOptions(this.format.chatPath(settings, false), body, timeouts), scope);
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

  /** Events one by one; a caller abort stops the stream before the next event. */
  stream(request: ChatRequest, options: CallOptions): AsyncGenerator<StreamEvent> {
    return this.streamEvents(request, options, false) as AsyncGenerator<StreamEvent>;
  }

  /** The same events, one array per upstream read (what a proxy writes in one go). */
  streamBatches(request: ChatRequest, options: CallOptions): AsyncGenerator<StreamEvent[]> {
    return this.streamEvents(request, options, true) as AsyncGenerator<StreamEvent[]>;
  }

  private async *streamEvents(request: ChatRequest, options: CallOptions, batched: boolean): AsyncGenerator<StreamEvent | StreamEvent[]> {
    const settings = options.model;
    const context: ErrorContext = { provider: this.id, model: settings.id };
    const timeouts = this.timeoutsFor(options);
    const scope = new CallScope(timeouts, context, options.signal);
    let response: StreamedResponse | undefined;
    try {
      const body = this.format.encode(request, settings, true);
      response = await dispatchStreamed(this.pool, this.requestOptions(this.format.chatPath(settings, true), body, timeouts), scope);
      if (response.statusCode >= 400) throw await this.failFromBody(response, context);
      const decoder = this.format.createStreamDecoder(request, settings, context);
      const parser = new SseParser();
      const out: StreamEvent[] = [];
      const onEvent = (event: SseEvent): void => decoder.onEvent(event, out);
      // Kept only to estimate tokens if the vendor never reports usage.
      const produced: string[] = [];
      let firstToken = false;
      /** The events of `out` the caller sees (usage comes last, from `usageEvent`), as a new array; `out` is emptied. */
      const admitted = (): StreamEvent[] => {
        // A caller abort or a timer stops the stream now, even with events already buffered.
        if (out.length > 0 && scope.aborted) throw scope.reason;
        const events: StreamEvent[] = [];
        for (let index = 0; index < out.length; index += 1) {
          const event = out[index] as StreamEvent;
          if (event.type === 'usage') continue;
          if (event.type === 'text') produced.push(event.text);
          else if (event.type === 'tool-call') produced.push(event.argumentsDelta);
          if (!firstToken && event.type !== 'start') {
            firstToken = true;
            scope.firstToken();
          }
          events.push(event);
        }
        out.length = 0;
        return events;
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
      // a caller can finish its own response in the same tick, in batches with the last
      // tokens); the body is read to its end afterwards, quietly, so the connection stays reusable.
      let usageYielded = false;
      const responseBody = response.body;
      // One pass per read, and a last one at the body's end (null), where an event without the
      // vendor's end marker may still lack its blank line.
      for (;;) {
        const chunk = await responseBody.next();
        if (usageYielded) {
          if (chunk === null) return;
          continue;
        }
        if (chunk === null) parser.end(onEvent);
        else parser.push(chunk, onEvent);
        const events = admitted();
        if (decoder.complete) {
          if (scope.aborted) throw scope.reason;
          usageYielded = true;
          events.push(usageEvent());
        }
        // A batch is yielded as it is (`yield*` over a one-element array costs extra async steps).
        if (events.length > 0) {
          if (batched) yield events;
          else yield* oneByOne(events, scope);
        }
        if (chunk === null) break;
      }
      if (!usageYielded) {
        throw new SwitchyardError('upstream', `${this.id}: stream ended before completion`, {
          provider: this.id,
          model: settings.id,
          retryable: true,
        });
      }
    } catch (error) {
      throw scope.fail(error);
    } finally {
      scope.dispose();
      // Early exit by the consumer, or an error: release the connection now.
      response?.body.cancel('stream closed before its end');
    }
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<ListedModel[]> {
    const listing = this.format.listModels;
    if (!listing) return [];
    const context: ErrorContext = { provider: this.id };
    const scope = new CallScope(this.timeouts, context, options.signal);
    try {
      const { statusCode, headers, text } = await dispatchBuffered(this.pool, this.requestOptions(listing.path, undefined, this.timeouts), scope);
      if (statusCode >= 400) throw errorFromResponse(statusCode, headers, text, context, this.format.errorDetails);
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
