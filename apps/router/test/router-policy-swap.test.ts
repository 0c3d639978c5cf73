/** Publishing a policy changes routing within 1 s, with no failed request during the swap. */
import { describe, expect, it } from 'vitest';
import { ALPHA, BETA, GAMMA, harnessForFile } from './harness';

const harness = harnessForFile();

interface Sample {
  sentAt: number;
  status: number;
  model: string | null;
  policy: string | null;
}

describe('policy swap under concurrent load', { timeout: 30_000 }, () => {
  it('moves traffic within 1 s and fails nothing', async () => {
    const first = await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 0, [GAMMA]: 0 });
    const samples: Sample[] = [];
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop) {
        const sentAt = Date.now();
        const response = await fetch(`${harness.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content: 'Say hello' }], stream: samples.length % 2 === 0 }),
        });
        await response.arrayBuffer();
        samples.push({ sentAt, status: response.status, model: response.headers.get('x-switchyard-model'), policy: response.headers.get('x-switchyard-policy') });
      }
    };
    const workers = Array.from({ length: 8 }, () => worker());
    await new Promise((resolve) => setTimeout(resolve, 600));
    const publishedAt = Date.now();
    const second = await harness.publish({ [BETA]: 1, [ALPHA]: 0, [GAMMA]: 0 });
    // Published = committed and announced; this process is busy serving the load, so that takes a while.
    const publishedDone = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    stop = true;
    await Promise.all(workers);

    expect(samples.length).toBeGreaterThan(50);
    expect(samples.filter((sample) => sample.status !== 200)).toEqual([]);
    // Requests sent just before the publish may be routed just after it (one process, busy event loop).
    const before = samples.filter((sample) => sample.sentAt < publishedAt - 200);
    const settled = samples.filter((sample) => sample.sentAt >= publishedDone + 1_000);
    expect(before.length).toBeGreaterThan(0);
    expect(settled.length).toBeGreaterThan(0);
    expect(before.filter((sample) => sample.model !== ALPHA || sample.policy !== first)).toEqual([]);
    expect(settled.filter((sample) => sample.model !== BETA || sample.policy !== second)).toEqual([]);
  });
});
