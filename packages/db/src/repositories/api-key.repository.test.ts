import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createApiKey, findApiKeyByHash, hashApiKey, listActiveApiKeys, revokeApiKey } from './api-key.repository';
import { insertFeedback, listFeedbackForRequest } from './feedback.repository';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('api keys', () => {
  it('stores only the hash, finds by hash and revokes', async () => {
    const { row, key } = await createApiKey(database.db, { name: 'ci', routes: ['cheap'], models: [], rateLimitPerMin: 60 });
    expect(key).toMatch(/^sy-/);
    expect(row.key_hash).toBe(hashApiKey(key));
    expect(row.key_hash).not.toContain(key);
    expect(row.routes).toEqual(['cheap']);
    expect(row.models).toBeNull();
    expect((await findApiKeyByHash(database.db, hashApiKey(key)))?.id).toBe(row.id);
    expect((await listActiveApiKeys(database.db)).map((active) => active.id)).toContain(row.id);
    expect(await revokeApiKey(database.db, row.id)).toBe(true);
    expect(await revokeApiKey(database.db, row.id)).toBe(false);
    expect((await listActiveApiKeys(database.db)).map((active) => active.id)).not.toContain(row.id);
    expect((await findApiKeyByHash(database.db, hashApiKey(key)))?.revoked_at).toBeInstanceOf(Date);
  });
});

describe('feedback', () => {
  it('attaches scores to a request id', async () => {
    await insertFeedback(database.db, { requestId: 'req-1', score: 0.8, comment: 'good' });
    await insertFeedback(database.db, { requestId: 'req-1', score: 0.2, source: 'judge', detail: { judge: 'x/y' } });
    const rows = await listFeedbackForRequest(database.db, 'req-1');
    expect(rows.map((row) => [row.score, row.source])).toEqual([
      [0.8, 'user'],
      [0.2, 'judge'],
    ]);
    expect(rows[1]?.detail).toEqual({ judge: 'x/y' });
  });
});
