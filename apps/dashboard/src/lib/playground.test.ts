import { describe, expect, it } from 'vitest';
import { Playground, routingInfo } from './playground.svelte';
import { SseParser } from './sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('SseParser', () => {
  it('splits events across chunk boundaries and CRLF', () => {
    const parser = new SseParser();
    expect(parser.push('data: {"a"')).toEqual([]);
    expect(parser.push(':1}\r\n\r\ndata: [DONE]\n\n: comment\n\n')).toEqual(['{"a":1}', '[DONE]']);
  });
});

describe('Playground', () => {
  it('streams the answer and reads routing headers and usage', async () => {
    let sent: unknown;
    const playground = new Playground(async (body) => {
      sent = body;
      return new Response(
        streamOf([
          `data: ${JSON.stringify({ model: 'sim/mini', choices: [{ delta: { content: '39' } }] })}\n\n`,
          `data: ${JSON.stringify({ choices: [{ delta: { content: '1' } }] })}\n\ndata: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 2 } })}\n\n`,
          'data: [DONE]\n\n',
        ]),
        {
          status: 200,
          headers: {
            'content-type': 'text/event-stream',
            'x-switchyard-model': 'sim/mini',
            'x-switchyard-category': 'math',
            'x-switchyard-reason': 'weight 0.80 of 3 eligible; fallback after 503 from sim/big',
            'x-switchyard-policy': 'abc123',
          },
        },
      );
    });
    playground.route = 'cheap';
    playground.category = 'math';
    playground.prompt = '17 × 23?';
    await playground.send();
    expect(sent).toMatchObject({ route: 'cheap', messages: [{ role: 'user', content: '17 × 23?' }], hints: { category: 'math' } });
    expect(playground.answer).toBe('391');
    expect(playground.info).toMatchObject({ model: 'sim/mini', category: 'math', policy: 'abc123' });
    expect(playground.info!.headers.map(([name]) => name)).toContain('x-switchyard-reason');
    expect(playground.usage).toEqual({ prompt_tokens: 10, completion_tokens: 2 });
    expect(playground.cost({ inputPerMTok: 1, outputPerMTok: 10 })).toBeCloseTo((10 + 20) / 1e6);
    expect(playground.latencyMs).not.toBeNull();
    expect(playground.running).toBe(false);
  });

  it('shows the router error message', async () => {
    const playground = new Playground(async () =>
      new Response(JSON.stringify({ error: { message: 'No eligible model', code: 'no_eligible_model' } }), { status: 503, headers: { 'x-switchyard-route': 'auto' } }),
    );
    playground.prompt = 'hi';
    await playground.send();
    expect(playground.error).toBe('No eligible model');
    expect(playground.answer).toBe('');
  });

  it('does nothing for an empty prompt', async () => {
    let calls = 0;
    const playground = new Playground(async () => {
      calls += 1;
      return new Response('');
    });
    await playground.send();
    expect(calls).toBe(0);
  });

  it('reads headers case-insensitively', () => {
    expect(routingInfo(new Headers({ 'X-Switchyard-Model': 'a/b' })).model).toBe('a/b');
  });
});
