import { errorFrom, errorText } from './api';
import { SseParser } from './sse';

export interface RoutingInfo {
  model: string | null;
  category: string | null;
  reason: string | null;
  fallbacks: string | null;
  policy: string | null;
  requestId: string | null;
  /** Every x-switchyard-* header, for the details list. */
  headers: Array<[string, string]>;
}

type Post = (body: unknown, signal: AbortSignal) => Promise<Response>;

const postToApi: Post = (body, signal) =>
  fetch('/api/playground/chat', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });

export function routingInfo(headers: Headers): RoutingInfo {
  const all: Array<[string, string]> = [];
  headers.forEach((value, name) => {
    if (name.startsWith('x-switchyard-')) all.push([name, value]);
  });
  all.sort(([a], [b]) => a.localeCompare(b));
  const get = (name: string) => headers.get(`x-switchyard-${name}`);
  return {
    model: get('model') ?? get('served-model') ?? get('chosen-model'),
    category: get('category'),
    reason: get('reason') ?? get('why'),
    fallbacks: get('fallbacks') ?? get('attempts'),
    policy: get('policy') ?? get('policy-hash'),
    requestId: headers.get('x-request-id') ?? get('request-id'),
    headers: all,
  };
}

/** The playground: one prompt to a route, the answer streamed in, routing details from headers. */
export class Playground {
  route = $state('auto');
  prompt = $state('');
  category = $state('');
  maxCostPerMTok = $state<number | null>(null);
  answer = $state('');
  running = $state(false);
  error = $state<string | null>(null);
  info = $state.raw<RoutingInfo | null>(null);
  latencyMs = $state<number | null>(null);
  ttftMs = $state<number | null>(null);
  usage = $state.raw<{ prompt_tokens: number; completion_tokens: number; cost?: number } | null>(null);
  servedModel = $state<string | null>(null);
  private controller: AbortController | undefined;

  constructor(private readonly post: Post = postToApi) {}

  stop(): void {
    this.controller?.abort();
  }

  async send(): Promise<void> {
    if (!this.prompt.trim() || this.running) return;
    this.running = true;
    this.answer = '';
    this.error = null;
    this.info = null;
    this.usage = null;
    this.latencyMs = null;
    this.ttftMs = null;
    this.servedModel = null;
    const controller = new AbortController();
    this.controller = controller;
    const started = performance.now();
    const hints: Record<string, unknown> = {};
    if (this.category) hints.category = this.category;
    if (this.maxCostPerMTok !== null && this.maxCostPerMTok > 0) hints.max_cost_per_mtok = this.maxCostPerMTok;
    try {
      const response = await this.post(
        {
          route: this.route,
          messages: [{ role: 'user', content: this.prompt }],
          stream: true,
          ...(Object.keys(hints).length > 0 ? { hints } : {}),
        },
        controller.signal,
      );
      this.info = routingInfo(response.headers);
      if (!response.ok) throw await errorFrom(response);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const data of parser.push(decoder.decode(value, { stream: true }))) {
          if (data === '[DONE]') continue;
          const chunk = JSON.parse(data) as {
            model?: string;
            choices?: Array<{ delta?: { content?: string | null } }>;
            usage?: { prompt_tokens: number; completion_tokens: number; cost?: number } | null;
            error?: { message: string };
          };
          if (chunk.error) throw new Error(chunk.error.message);
          if (chunk.model && !this.servedModel) this.servedModel = chunk.model;
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) {
            if (this.ttftMs === null) this.ttftMs = performance.now() - started;
            this.answer += text;
          }
          if (chunk.usage) this.usage = chunk.usage;
        }
      }
      this.latencyMs = performance.now() - started;
    } catch (error) {
      if (!controller.signal.aborted) this.error = errorText(error);
    } finally {
      this.running = false;
      this.controller = undefined;
    }
  }

  /** Cost of the last answer from its usage and the model's price (USD per 1M tokens). */
  cost(price: { inputPerMTok: number; outputPerMTok: number } | undefined): number | null {
    if (this.usage && typeof this.usage.cost === 'number') return this.usage.cost;
    if (!this.usage || !price) return null;
    return (this.usage.prompt_tokens * price.inputPerMTok + this.usage.completion_tokens * price.outputPerMTok) / 1_000_000;
  }
}
