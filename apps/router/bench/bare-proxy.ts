/**
 * The floor the router's figures are read against (forked by router-bench.ts): the least a
 * Node.js proxy can do for the same request — node:http in, JSON.parse, the model name
 * swapped, JSON.stringify, one undici keep-alive pool out, the answer passed back as it came
 * (buffered for JSON, piped for SSE). No routing, validation, metrics or records. What it adds
 * over direct is the cost of one more Node process and one more loopback hop on this machine.
 * Reports its CPU time between a `reset` and a `report` message (child-protocol.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { answerBenchParent } from './child-protocol';

const simulatorPort = Number(process.env.BENCH_SIMULATOR_PORT);
const model = process.env.BENCH_DIRECT_MODEL as string;
const pool = new Pool(`http://127.0.0.1:${simulatorPort}`, { connections: 64, keepAliveTimeout: 30_000 });
const upstreamHeaders = { 'content-type': 'application/json', authorization: 'Bearer bench' };

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; stream?: boolean };
    body.model = model;
    pool.request({ method: 'POST', path: '/openai/v1/chat/completions', headers: upstreamHeaders, body: JSON.stringify(body) }).then(
      async (upstream) => {
        response.writeHead(upstream.statusCode, { 'content-type': body.stream ? 'text/event-stream' : 'application/json' });
        if (body.stream) {
          for await (const chunk of upstream.body) response.write(chunk);
          response.end();
        } else response.end(await upstream.body.text());
      },
      (error: Error) => {
        response.writeHead(502);
        response.end(error.message);
      },
    );
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

answerBenchParent({
  url,
  stop: async () => {
    server.close();
    await pool.close();
  },
});
