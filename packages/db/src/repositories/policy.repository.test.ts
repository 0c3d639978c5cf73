import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, followAfter, insertPolicyVersionsAt, type TestDatabase } from '../testing';
import { findPolicy, getCurrentPolicy, getPolicyPin, listPolicies, listPolicyEvents, publishPolicy, rollbackPolicy, unpinPolicy } from './policy.repository';

describe('policy repository', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });

  const version = (hash: string, parentHash: string | null) => ({
    hash,
    schemaVersion: 1,
    parentHash,
    document: { schemaVersion: 1, marker: hash },
    createdBy: 'test',
  });

  it('publishes versions, moves the pointer, refuses stale parents and rolls back', async () => {
    expect(await getCurrentPolicy(test.db)).toBeUndefined();
    expect(await publishPolicy(test.db, version('a1', null))).toEqual({ published: true, hash: 'a1', previousHash: null });
    expect(await publishPolicy(test.db, version('a1', null))).toMatchObject({ published: false, reason: 'unchanged' });
    expect(await publishPolicy(test.db, version('b2', 'a1'), { expectedParent: 'a1' })).toMatchObject({ published: true });
    expect(await publishPolicy(test.db, version('c3', 'a1'), { expectedParent: 'a1' })).toMatchObject({
      published: false,
      reason: 'parent_moved',
      currentHash: 'b2',
    });
    expect((await getCurrentPolicy(test.db))?.hash).toBe('b2');

    expect((await rollbackPolicy(test.db, 'a1', 'alice'))?.outcome).toMatchObject({ published: true, previousHash: 'b2' });
    const current = await getCurrentPolicy(test.db);
    expect(current?.hash).toBe('a1');
    expect(current?.document).toEqual({ schemaVersion: 1, marker: 'a1' });
    expect((await listPolicies(test.db)).map((row) => row.hash).sort()).toEqual(['a1', 'b2']);
    expect((await listPolicyEvents(test.db)).map((event) => `${event.action}:${event.policy_hash}:${event.actor}`)).toEqual([
      'rollback:a1:alice',
      'publish:b2:test',
      'publish:a1:test',
    ]);
    expect(await rollbackPolicy(test.db, 'nope', 'alice')).toBeUndefined();
  });

  it('a rollback pins the version: the optimizer cannot replace it until someone unpins it', async () => {
    expect((await rollbackPolicy(test.db, 'b2', 'carol'))?.outcome).toMatchObject({ published: true });
    expect(await getPolicyPin(test.db)).toMatchObject({ hash: 'b2', by: 'carol', at: expect.any(Date) });
    expect(await publishPolicy(test.db, version('d4', 'b2'), { expectedParent: 'b2', unlessPinned: true })).toMatchObject({
      published: false,
      reason: 'pinned',
      currentHash: 'b2',
      pin: { hash: 'b2', by: 'carol' },
    });
    expect((await getCurrentPolicy(test.db))?.hash).toBe('b2');
    expect(await unpinPolicy(test.db, 'dave')).toBe(true);
    expect(await unpinPolicy(test.db, 'dave')).toBe(false);
    expect(await getPolicyPin(test.db)).toBeNull();
    expect((await listPolicyEvents(test.db, 1)).map((event) => `${event.action}:${event.policy_hash}:${event.actor}`)).toEqual(['unpin:b2:dave']);
    expect(await publishPolicy(test.db, version('d4', 'b2'), { expectedParent: 'b2', unlessPinned: true })).toMatchObject({ published: true });
    // A person's publish pins too; rolling back to the current version pins it in place.
    expect(await publishPolicy(test.db, version('e5', 'd4'), { pinnedBy: 'erin' })).toMatchObject({ published: true });
    expect(await getPolicyPin(test.db)).toMatchObject({ hash: 'e5', by: 'erin' });
    await unpinPolicy(test.db, 'erin');
    expect((await rollbackPolicy(test.db, 'e5', 'frank'))?.outcome).toMatchObject({ published: false, reason: 'unchanged' });
    expect(await getPolicyPin(test.db)).toMatchObject({ hash: 'e5', by: 'frank' });
    await unpinPolicy(test.db, 'frank');
  });

  it('serializes concurrent publishes: exactly one wins against the same parent', async () => {
    const base = (await getCurrentPolicy(test.db))?.hash ?? null;
    const outcomes = await Promise.all(
      ['x1', 'x2', 'x3', 'x4'].map((hash) => publishPolicy(test.db, version(hash, base), { expectedParent: base })),
    );
    expect(outcomes.filter((outcome) => outcome.published)).toHaveLength(1);
  });

  it('finds a version by full hash or by a unique prefix of 6+ hex characters', async () => {
    const hashes = ['f00dfeed01'.padEnd(64, '1'), 'f00dfeed02'.padEnd(64, '2'), 'f00d'];
    for (const hash of hashes) await publishPolicy(test.db, version(hash, null));
    expect((await findPolicy(test.db, 'f00d'))?.hash).toBe('f00d');
    expect((await findPolicy(test.db, hashes[0]!))?.hash).toBe(hashes[0]);
    expect((await findPolicy(test.db, 'F00DFEED01'))?.hash).toBe(hashes[0]);
    await expect(findPolicy(test.db, 'f00dfe', 'from')).rejects.toMatchObject({ code: 'bad_request', param: 'from', message: expect.stringMatching(/^Policy hash prefix f00dfe is ambiguous: it matches f00dfeed02/) });
    expect(await findPolicy(test.db, 'f00df')).toBeUndefined();
    expect(await findPolicy(test.db, 'f00dfeed03')).toBeUndefined();
    expect(await findPolicy(test.db, 'f00d%e')).toBeUndefined();
  });
});

describe('policy versions paged newest first', () => {
  let test: TestDatabase;
  /** Hashes in the list's order: created_at desc, then hash desc. */
  const expected = ['h-9', 'h-6', 'h-5', 'h-4', 'h-3', 'h-2', 'h-1', 'h-0', 'h-7', 'h-8'];
  beforeAll(async () => {
    test = await createTestDatabase();
    // Versions published in the same millisecond (the optimizer and a person), some at the same microsecond.
    const createdAt = ['.500500', '.500500', '.500500', '.500500', '.500500', '.500500', '.500900', '.500100', '.499999', '.999000'];
    await insertPolicyVersionsAt(test.db, createdAt, (index) => ({ schemaVersion: 1, marker: index }));
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('lists every version exactly once, in order, when paged two at a time after the last hash', async () => {
    const seen = await followAfter((after) => listPolicies(test.db, { limit: 3, ...(after === undefined ? {} : { after }) }), 2, (row) => row.hash);
    expect(seen.map((row) => row.hash)).toEqual(expected);
  });

  it('refuses an `after` that names no version', async () => {
    expect((await listPolicies(test.db, { after: 'h-0' })).map((row) => row.hash)).toEqual(['h-7', 'h-8']);
    await expect(listPolicies(test.db, { after: 'no-such-hash' })).rejects.toMatchObject({ code: 'bad_request', param: 'cursor' });
  });
});
