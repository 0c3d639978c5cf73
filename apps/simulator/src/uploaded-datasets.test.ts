/** Items uploaded to Switchyard's database are recognized like bundled ones (real Postgres). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/db/testing';
import pg from 'pg';
import { isCorrect } from './answers';
import { buildSimulator, type Simulator } from './simulator';
import { reliableFleet, TEST_CONTROL_TOKEN } from './test-support';

let database: TestDatabase;
let client: pg.Client;
let simulator: Simulator;
const SEED = 11;

async function insertItem(itemId: string, question: string, ideal: string): Promise<void> {
  const dataset = await client.query<{ id: string }>("insert into datasets (name) values ($1) returning id", [`upload-${itemId}`]);
  const versionId = `v-${itemId}`;
  await client.query("insert into dataset_versions (id, dataset_id, item_count, format) values ($1, $2, 1, 'jsonl')", [versionId, dataset.rows[0]?.id]);
  await client.query(
    "insert into dataset_items (version_id, item_id, position, input, ideal, grader, category, content_hash) values ($1, $2, 0, $3, $4, 'numeric', 'math', $2)",
    [versionId, itemId, JSON.stringify([{ role: 'user', content: question }]), JSON.stringify(ideal)],
  );
}

const ask = async (question: string) => {
  const response = await simulator.app.inject({
    method: 'POST',
    url: '/openai/v1/chat/completions',
    headers: { authorization: 'Bearer x' },
    payload: { model: 'numeric-7b', messages: [{ role: 'user', content: question }] },
  });
  return (response.json() as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? '';
};

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await insertItem('upload-1', 'A crate holds 17 boxes of 3 apples. How many apples? End with "Answer: <number>".', '51');
  simulator = await buildSimulator({ zeroLatency: true, fleet: reliableFleet(), datasetDirs: [], databaseUrl: database.url, seed: SEED, controlToken: TEST_CONTROL_TOKEN });
});
afterAll(async () => {
  await simulator?.app.close();
  await client?.end();
  await database?.drop();
});

describe('uploaded dataset items', () => {
  it('answers an uploaded item by skill, in the numeric form', async () => {
    const content = await ask('A crate holds 17 boxes of 3 apples. How many apples? End with "Answer: <number>".');
    expect(content).toMatch(/\nAnswer: -?\d+$/);
    const correct = isCorrect('numeric-7b', 'upload-1', SEED, 0.92);
    expect(content.endsWith('Answer: 51')).toBe(correct);
  });

  it('answers an item uploaded after start at its first prompt, without waiting for the periodic read', async () => {
    await simulator.app.inject({ method: 'POST', url: '/control/models/numeric-7b', headers: { authorization: `Bearer ${TEST_CONTROL_TOKEN}` }, payload: { skill: 1 } });
    // Past the one-second spacing of checks after a miss (the first test's prompts matched, but be safe).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const question = 'A train has 12 cars of 10 seats. How many seats? End with "Answer: <number>".';
    await insertItem('upload-2', question, '120');
    expect(await ask(question)).toMatch(/\nAnswer: 120$/);
    // An ordinary prompt still gets an ordinary answer.
    expect(await ask('Tell me about trains.')).not.toMatch(/Answer:/);
  });
});
