/**
 * `npm start` end to end, as a newcomer runs it: no DATABASE_URL (the embedded PostgreSQL
 * starts), no provider keys (the simulated fleet), nothing clicked. Every server answers
 * /readyz, the auto endpoint routes, and the leaderboard and a published policy appear on
 * their own (the first five minutes promised in the README).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from './support/system';

interface LeaderboardRow {
  model: string;
  quality: { n: number; mean: number | null };
  ttftP50Ms: number | null;
}

describe('npm start', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem({ embeddedDatabase: true });
  }, 200_000);
  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('runs the embedded PostgreSQL and prints the URLs', () => {
    const logs = system.logs();
    expect(logs).toMatch(/using embedded PostgreSQL \(DATABASE_URL unset\)/);
    expect(logs).toContain(`Dashboard         ${system.apiUrl}/`);
    expect(logs).toContain(`OpenAI endpoint   ${system.routerUrl}/v1`);
    expect(logs).toContain(`Queue UI          ${system.apiUrl}/admin/queues`);
  });

  it('answers /readyz on every server', async () => {
    for (const url of [system.apiUrl, system.routerUrl, system.simulatorUrl]) {
      const response = await fetch(`${url}/readyz`);
      expect(response.status, url).toBe(200);
    }
  });

  it('routes a chat completion on model "auto" and says which model served', async () => {
    const response = await fetch(`${system.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'What is 12 + 30?' }] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { model: string; choices: Array<{ message: { content: string } }>; usage: { cost: number } };
    expect(response.headers.get('x-switchyard-model')).toMatch(/^sim-/);
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(body.usage.cost).toBeGreaterThanOrEqual(0);
  });

  it('fills the leaderboard and publishes a policy with no action', async () => {
    await expect
      .poll(
        async () => {
          const response = await fetch(`${system.apiUrl}/api/leaderboard`);
          const body = (await response.json()) as { items: LeaderboardRow[] };
          return body.items.filter((row) => row.quality.n > 0 && row.ttftP50Ms !== null).length;
        },
        { timeout: 170_000, interval: 3_000 },
      )
      .toBe(8);
    await expect
      .poll(async () => (await fetch(`${system.apiUrl}/api/policies/current`)).status, { timeout: 60_000, interval: 2_000 })
      .toBe(200);
    const policy = (await (await fetch(`${system.apiUrl}/api/policies/current`)).json()) as { hash: string };
    expect(policy.hash).toMatch(/^[0-9a-f]{64}$/);
  }, 240_000);
});
