/**
 * One conformance suite for every adapter. Each target points an adapter at a server that
 * speaks its wire format (the simulator, with `x-sim-fault` forcing faults) and the same
 * cases run for all: text, streaming, tools, JSON mode, usage and cost, finish reasons,
 * error mapping with retry-after, first-token timeout, abort, malformed data, resets.
 * A skipped case must state why; it shows up as skipped with the reason in its title.
 */
import { describe, expect, it } from 'vitest';
import {
  costUsd,
  SwitchyardError,
  type ChatRequest,
  type ModelCallSettings,
  type ProviderAdapter,
  type StreamEvent,
  type Timeouts,
} from '@switchyard/core';
import { collectStream } from '../collect-stream';

export const conformanceCases = [
  'text',
  'streaming',
  'stream batches',
  'n choices',
  'tool call',
  'tool call stream deltas',
  'tool result round trip',
  'json mode',
  'json schema',
  'usage',
  'usage in stream',
  'finish reason length',
  'error 400',
  'error 401',
  'error 404',
  'error 429 with retry-after',
  'error 500',
  'error 503',
  'error 529',
  'error before first stream event',
  'timeout at first token',
  'timeout at first token in stream',
  'abort mid-stream',
  'malformed chunk',
  'malformed body',
  'connection reset mid-stream',
  'connection reset mid-stream in batches',
  'stream cut short',
  'list models',
] as const;
export type ConformanceCase = (typeof conformanceCases)[number];

export interface AdapterOverrides {
  /** Extra request headers (fault directives). */
  headers?: Record<string, string>;
  /** `null` sends no key at all. */
  apiKey?: string | null;
  timeouts?: Partial<Timeouts>;
}

export interface AdapterConformanceOptions {
  name: string;
  /** A fresh adapter for one test; it is closed afterwards. */
  createAdapter(overrides?: AdapterOverrides): ProviderAdapter;
  /** A model the target serves. */
  model: ModelCallSettings;
  capabilities?: {
    tools?: boolean;
    json?: boolean;
    listModels?: boolean;
    /** The vendor reports usage in streams (otherwise the cost must be flagged estimated). */
    streamUsage?: boolean;
    /** The most choices (`n`) the vendor returns per call; the adapter must say the same. */
    maxChoices?: number;
  };
  skip?: Array<{ reason: string; tests: ConformanceCase[] }>;
  /** Header that forces a fault on the target server. */
  faultHeader?: string;
}

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  },
};

const prompt = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'ignored',
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: text },
  ],
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<SwitchyardError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchyardError);
    return error as SwitchyardError;
  }
  throw new Error('expected the call to fail');
}

async function drainStream(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

export function runAdapterConformance(options: AdapterConformanceOptions): void {
  const skipped = new Map<ConformanceCase, string>();
  for (const entry of options.skip ?? []) {
    if (!entry.reason.trim()) throw new Error(`${options.name}: a skipped conformance case needs a reason`);
    for (const test of entry.tests) skipped.set(test, entry.reason);
  }
  const capabilities = { tools: true, json: true, listModels: true, streamUsage: true, maxChoices: 128, ...options.capabilities };
  const faultHeader = options.faultHeader ?? 'x-sim-fault';
  const model = options.model;

  const withAdapter = async <T>(overrides: AdapterOverrides | undefined, run: (adapter: ProviderAdapter) => Promise<T>): Promise<T> => {
    const adapter = options.createAdapter(overrides);
    try {
      return await run(adapter);
    } finally {
      await adapter.close();
    }
  };
  const faulty = (fault: string, timeouts?: Partial<Timeouts>): AdapterOverrides => ({ headers: { [faultHeader]: fault }, ...(timeouts ? { timeouts } : {}) });

  const test = (name: ConformanceCase, body: () => Promise<void>, when = true, unsupported?: string) => {
    const reason = skipped.get(name) ?? (when ? undefined : unsupported);
    if (reason) it.skip(`${name} (skipped: ${reason})`, body);
    else it(name, body);
  };

  describe(`adapter conformance: ${options.name}`, () => {
    test('text', () =>
      withAdapter(undefined, async (adapter) => {
        const response = await adapter.chat(prompt('Describe a routing policy in two sentences.'), { model });
        expect(response.object).toBe('chat.completion');
        expect(response.choices).toHaveLength(1);
        const choice = response.choices[0];
        expect(choice?.message.role).toBe('assistant');
        expect(typeof choice?.message.content).toBe('string');
        expect((choice?.message.content ?? '').length).toBeGreaterThan(0);
        expect(choice?.finish_reason).toBe('stop');
      }));

    test('streaming', () =>
      withAdapter(undefined, async (adapter) => {
        const events = await drainStream(adapter.stream(prompt('Describe a routing policy.'), { model }));
        expect(events[0]?.type).toBe('start');
        const texts = events.filter((event) => event.type === 'text');
        expect(texts.length).toBeGreaterThan(1);
        expect(events.filter((event) => event.type === 'finish')).toEqual([{ type: 'finish', index: 0, finishReason: 'stop' }]);
        expect(events.filter((event) => event.type === 'usage')).toHaveLength(1);
        expect(events[events.length - 1]?.type).toBe('usage');
      }));

    test('stream batches', () =>
      withAdapter(undefined, async (adapter) => {
        const batches: StreamEvent[][] = [];
        for await (const batch of adapter.streamBatches(prompt('Describe a routing policy.'), { model })) batches.push(batch);
        expect(batches.every((batch) => batch.length > 0)).toBe(true);
        // The events of the 'streaming' case, in batches; the usage event ends the last one.
        const events = batches.flat();
        expect(events[0]?.type).toBe('start');
        expect(events.filter((event) => event.type === 'text').length).toBeGreaterThan(1);
        expect(events.filter((event) => event.type === 'finish')).toEqual([{ type: 'finish', index: 0, finishReason: 'stop' }]);
        expect(events.filter((event) => event.type === 'usage')).toHaveLength(1);
        expect(batches[batches.length - 1]?.at(-1)?.type).toBe('usage');
      }));

    test('n choices', () =>
      withAdapter(undefined, async (adapter) => {
        expect(adapter.maxChoices).toBe(capabilities.maxChoices);
        // Where the vendor has no `n`, the router keeps such requests away (nothing to call here).
        if (capabilities.maxChoices < 2) return;
        const response = await adapter.chat(prompt('Describe a routing policy in two sentences.', { n: 2 }), { model });
        expect(response.choices.map((choice) => choice.index)).toEqual([0, 1]);
        expect(response.choices.every((choice) => (choice.message.content ?? '').length > 0)).toBe(true);
        const events = await drainStream(adapter.stream(prompt('Describe a routing policy.', { n: 2 }), { model }));
        const finished = events.flatMap((event) => (event.type === 'finish' ? [event.index] : []));
        expect(finished.sort()).toEqual([0, 1]);
        for (const index of [0, 1]) expect(events.some((event) => event.type === 'text' && event.index === index)).toBe(true);
      }));

    test(
      'tool call',
      () =>
        withAdapter(undefined, async (adapter) => {
          const response = await adapter.chat(prompt('What is the weather in Paris?', { tools: [weatherTool], tool_choice: 'required' }), { model });
          const choice = response.choices[0];
          expect(choice?.finish_reason).toBe('tool_calls');
          const call = choice?.message.tool_calls?.[0];
          expect(call?.type).toBe('function');
          expect(call?.function.name).toBe('get_weather');
          expect(call?.id.length).toBeGreaterThan(0);
          const args = JSON.parse(call?.function.arguments ?? '') as { city?: unknown };
          expect(typeof args.city).toBe('string');
        }),
      capabilities.tools,
      'the target has no tool support',
    );

    test(
      'tool call stream deltas',
      () =>
        withAdapter(undefined, async (adapter) => {
          const events = await drainStream(
            adapter.stream(prompt('Weather in Oslo?', { tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }), { model }),
          );
          const deltas = events.filter((event) => event.type === 'tool-call');
          expect(deltas.length).toBeGreaterThan(0);
          expect(deltas[0]).toMatchObject({ toolIndex: 0, name: 'get_weather' });
          const collected = await collectStream(
            (async function* () {
              yield* events;
            })(),
          );
          const call = collected.choices[0]?.message.tool_calls?.[0];
          expect(call?.function.name).toBe('get_weather');
          expect(typeof (JSON.parse(call?.function.arguments ?? '') as { city?: unknown }).city).toBe('string');
          expect(collected.choices[0]?.finish_reason).toBe('tool_calls');
        }),
      capabilities.tools,
      'the target has no tool support',
    );

    test(
      'tool result round trip',
      () =>
        withAdapter(undefined, async (adapter) => {
          const first = await adapter.chat(prompt('Weather in Rome?', { tools: [weatherTool], tool_choice: 'required' }), { model });
          const call = first.choices[0]?.message.tool_calls?.[0];
          expect(call).toBeDefined();
          const followUp: ChatRequest = {
            model: 'ignored',
            tools: [weatherTool],
            messages: [
              { role: 'user', content: 'Weather in Rome?' },
              { role: 'assistant', content: null, tool_calls: call ? [call] : [] },
              { role: 'tool', tool_call_id: call?.id ?? '', content: JSON.stringify({ temperature: 21, unit: 'celsius' }) },
            ],
          };
          const second = await adapter.chat(followUp, { model });
          expect(second.choices[0]?.finish_reason).toBe('stop');
          expect((second.choices[0]?.message.content ?? '').length).toBeGreaterThan(0);
        }),
      capabilities.tools,
      'the target has no tool support',
    );

    test(
      'json mode',
      () =>
        withAdapter(undefined, async (adapter) => {
          const response = await adapter.chat(prompt('Give me a JSON object with an answer.', { response_format: { type: 'json_object' } }), { model });
          const parsed = JSON.parse(response.choices[0]?.message.content ?? '') as unknown;
          expect(typeof parsed).toBe('object');
          expect(response.choices[0]?.finish_reason).toBe('stop');
        }),
      capabilities.json,
      'the target has no JSON mode',
    );

    test(
      'json schema',
      () =>
        withAdapter(undefined, async (adapter) => {
          const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } }, required: ['city', 'population'] };
          const events = adapter.stream(
            prompt('Largest city in France?', { response_format: { type: 'json_schema', json_schema: { name: 'city', schema } } }),
            { model },
          );
          const response = await collectStream(events);
          const parsed = JSON.parse(response.choices[0]?.message.content ?? '') as { city?: unknown; population?: unknown };
          expect(typeof parsed.city).toBe('string');
          expect(Number.isInteger(parsed.population)).toBe(true);
        }),
      capabilities.json,
      'the target has no JSON mode',
    );

    test('usage', () =>
      withAdapter(undefined, async (adapter) => {
        const response = await adapter.chat(prompt('Say something about latency.'), { model });
        const usage = response.usage;
        expect(usage.prompt_tokens).toBeGreaterThan(0);
        expect(usage.completion_tokens).toBeGreaterThan(0);
        expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
        expect(usage.cost_estimated).toBeUndefined();
        const cached = usage.prompt_tokens_details?.cached_tokens;
        expect(usage.cost).toBeCloseTo(
          costUsd(model.price, { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, cachedTokens: cached }),
          12,
        );
        expect(usage.cost).toBeGreaterThan(0);
      }));

    test('usage in stream', () =>
      withAdapter(undefined, async (adapter) => {
        const events = await drainStream(adapter.stream(prompt('Say something about cost.'), { model }));
        const last = events[events.length - 1];
        expect(last?.type).toBe('usage');
        if (last?.type !== 'usage') return;
        expect(last.usage.prompt_tokens).toBeGreaterThan(0);
        expect(last.usage.completion_tokens).toBeGreaterThan(0);
        expect(last.usage.cost).toBeGreaterThan(0);
        if (capabilities.streamUsage) expect(last.usage.cost_estimated).toBeUndefined();
        else expect(last.usage.cost_estimated).toBe(true);
      }));

    test('finish reason length', () =>
      withAdapter(undefined, async (adapter) => {
        const response = await adapter.chat(prompt('Write a long essay about networks.', { max_tokens: 5 }), { model });
        expect(response.choices[0]?.finish_reason).toBe('length');
        const events = await drainStream(adapter.stream(prompt('Write a long essay about networks.', { max_tokens: 5 }), { model }));
        expect(events.find((event) => event.type === 'finish')).toMatchObject({ finishReason: 'length' });
      }));

    const errorCase = (name: ConformanceCase, fault: string, expected: { code: string; retryable: boolean; status?: number }) =>
      test(name, () =>
        withAdapter(faulty(fault), async (adapter) => {
          const error = await rejection(adapter.chat(prompt('hello'), { model }));
          expect(error.code).toBe(expected.code);
          expect(error.retryable).toBe(expected.retryable);
          if (expected.status) expect(error.status).toBe(expected.status);
          expect(error.provider).toBe(adapter.id);
          expect(error.model).toBe(model.id);
        }),
      );
    errorCase('error 400', '400', { code: 'bad_request', retryable: false, status: 400 });
    errorCase('error 500', '500', { code: 'upstream', retryable: true, status: 500 });
    errorCase('error 503', '503', { code: 'overloaded', retryable: true, status: 503 });
    errorCase('error 529', '529', { code: 'overloaded', retryable: true, status: 529 });

    test('error 401', async () => {
      await withAdapter({ apiKey: null }, async (adapter) => {
        const error = await rejection(adapter.chat(prompt('hello'), { model }));
        expect(error.code).toBe('auth');
        expect(error.retryable).toBe(false);
      });
      await withAdapter(faulty('401'), async (adapter) => {
        const error = await rejection(adapter.chat(prompt('hello'), { model }));
        expect(error.code).toBe('auth');
        expect(error.status).toBe(401);
      });
    });

    test('error 404', () =>
      withAdapter(undefined, async (adapter) => {
        const missing: ModelCallSettings = { ...model, id: `${model.id}-missing`, upstreamName: 'no-such-model' };
        const error = await rejection(adapter.chat(prompt('hello'), { model: missing }));
        expect(error.code).toBe('not_found');
        expect(error.status).toBe(404);
        expect(error.retryable).toBe(false);
      }));

    test('error 429 with retry-after', () =>
      withAdapter(faulty('429'), async (adapter) => {
        const error = await rejection(adapter.chat(prompt('hello'), { model }));
        expect(error.code).toBe('rate_limited');
        expect(error.status).toBe(429);
        expect(error.retryable).toBe(true);
        expect(error.retryAfterMs).toBeGreaterThan(0);
      }));

    test('error before first stream event', () =>
      withAdapter(faulty('503'), async (adapter) => {
        const error = await rejection(drainStream(adapter.stream(prompt('hello'), { model })));
        expect(error.code).toBe('overloaded');
        expect(error.retryable).toBe(true);
      }));

    test('timeout at first token', () =>
      withAdapter(faulty('timeout', { firstTokenMs: 250 }), async (adapter) => {
        const error = await rejection(adapter.chat(prompt('hello'), { model }));
        expect(error.code).toBe('timeout');
        expect(error.retryable).toBe(true);
      }));

    test('timeout at first token in stream', () =>
      withAdapter(faulty('timeout', { firstTokenMs: 250 }), async (adapter) => {
        const error = await rejection(drainStream(adapter.stream(prompt('hello'), { model })));
        expect(error.code).toBe('timeout');
        expect(error.message).toMatch(/first token/);
      }));

    test('abort mid-stream', () =>
      withAdapter(undefined, async (adapter) => {
        const controller = new AbortController();
        const seen: StreamEvent[] = [];
        const error = await rejection(
          (async () => {
            for await (const event of adapter.stream(prompt('Write a long answer about queues.'), { model, signal: controller.signal })) {
              seen.push(event);
              if (event.type === 'text') controller.abort();
            }
          })(),
        );
        expect(seen.filter((event) => event.type === 'text')).toHaveLength(1);
        expect(seen.some((event) => event.type === 'usage')).toBe(false);
        expect(error.retryable).toBe(false);
      }));

    test('malformed chunk', () =>
      withAdapter(faulty('malformed'), async (adapter) => {
        const error = await rejection(drainStream(adapter.stream(prompt('Write a paragraph about caching.'), { model })));
        expect(error.code).toBe('invalid_response');
      }));

    test('malformed body', () =>
      withAdapter(faulty('malformed'), async (adapter) => {
        const error = await rejection(adapter.chat(prompt('hello'), { model }));
        expect(error.code).toBe('invalid_response');
        expect(error.retryable).toBe(true);
      }));

    test('connection reset mid-stream', () =>
      withAdapter(faulty('reset'), async (adapter) => {
        const seen: StreamEvent[] = [];
        const error = await rejection(
          (async () => {
            for await (const event of adapter.stream(prompt('Write a paragraph about retries.'), { model })) seen.push(event);
          })(),
        );
        expect(seen.some((event) => event.type === 'text')).toBe(true);
        expect(error.code).toBe('upstream');
        expect(error.retryable).toBe(true);
      }));

    test('connection reset mid-stream in batches', () =>
      withAdapter(faulty('reset'), async (adapter) => {
        const seen: StreamEvent[] = [];
        const error = await rejection(
          (async () => {
            for await (const batch of adapter.streamBatches(prompt('Write a paragraph about retries.'), { model })) seen.push(...batch);
          })(),
        );
        expect(seen.some((event) => event.type === 'text')).toBe(true);
        expect(seen.some((event) => event.type === 'usage')).toBe(false);
        expect(error.code).toBe('upstream');
        expect(error.retryable).toBe(true);
      }));

    test('stream cut short', () =>
      withAdapter(faulty('cut'), async (adapter) => {
        const error = await rejection(drainStream(adapter.stream(prompt('Write a paragraph about backoff.'), { model })));
        expect(error.code).toBe('upstream');
        expect(error.retryable).toBe(true);
      }));

    test(
      'list models',
      () =>
        withAdapter(undefined, async (adapter) => {
          expect(adapter.listModels).toBeDefined();
          const models = (await adapter.listModels?.()) ?? [];
          expect(models.map((entry) => entry.id)).toContain(model.upstreamName);
        }),
      capabilities.listModels,
      'the target lists no models',
    );
  });
}
