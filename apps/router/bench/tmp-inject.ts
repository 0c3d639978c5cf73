import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { configSchema, createLogger, type ChatResponse, type ProviderAdapter } from '@switchyard/core';
import type { ProviderSet, ResolvedModel } from '@switchyard/providers';
import { createRouter } from '../src/index';

const response: ChatResponse = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there, nice to meet you, welcome to the team!' }, finish_reason: 'stop', logprobs: null }], usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32, cost: 0.0001 } };
const adapter: ProviderAdapter = { id: 'p', type: 'fake', chat: async () => ({ ...response }), stream: async function* () {}, close: async () => {} };
const models: ResolvedModel[] = ['a', 'b', 'c'].map((name, i) => ({ id: `p/${name}`, providerId: 'p', upstreamName: name, displayName: name, price: { inputPerMTok: i + 1, outputPerMTok: i + 2 }, priceSource: 'config', capabilities: { tools: true, json: true, vision: false, streaming: true }, enabled: true }));
const set = { providers: new Map(), models, find: (id: string) => { const model = models.find((m) => m.id === id); return model && { adapter, model, settings: { id, upstreamName: model.upstreamName, price: model.price } }; }, get: () => { throw new Error('x'); }, close: async () => {} } as unknown as ProviderSet;
const config = configSchema.parse({ host: '127.0.0.1', redisPrefix: 'inject', logLevel: 'silent', api: { auth: 'off' }, router: { port: 0, auth: 'off' } });
const router = createRouter(config, { providerSet: set, logger: createLogger('silent'), defaultMetrics: false });
await router.init();
router.context.recorder.record = () => undefined;
const bare = Fastify();
bare.post('/v1/chat/completions', async (_request, reply) => reply.type('application/json').send(JSON.stringify(response)));
await bare.ready();
const payload = JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Write one friendly sentence greeting a new colleague.' }], max_tokens: 64 });
async function measure(app: typeof bare, n: number) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, payload });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
  const c = process.cpuUsage(cpu);
  return { wallUs: ((performance.now() - t) * 1000) / n, cpuUs: (c.user + c.system) / n };
}
for (let round = 0; round < 4; round++) {
  console.log('bare', await measure(bare, 5000), 'router', await measure(router.app as unknown as typeof bare, 5000));
}
await router.stop();
