/**
 * outcome-ingest: moves the router's decision records from the Redis stream into Postgres.
 *
 * How it works: every process reads through one consumer group, so several workers share
 * the stream without reading an entry twice. A batch is inserted in one statement that is
 * idempotent on `request_id`, and only after the commit are its entries acknowledged (and
 * deleted from the stream). A worker killed between the insert and the acknowledgement
 * leaves the entries pending; the next run claims pending entries that have been idle for
 * `claimIdleMs` (XAUTOCLAIM) and inserts them again — `on conflict do nothing` makes that a
 * no-op, so a crash neither loses nor duplicates rows.
 */
import type { Redis } from 'ioredis';
import { redisKeys, type DecisionRecord, type Logger } from '@switchyard/core';
import { insertDecisionsJson, type Db } from '@switchyard/db';
import { publishLiveEvent } from './live-events';

export interface OutcomeIngestDeps {
  db: Db;
  redis: Redis;
  prefix: string;
  logger?: Logger;
}

export interface OutcomeIngestOptions {
  batchSize: number;
  /** Consumer name in the group; one per process. */
  consumer: string;
  /** Pending entries idle this long belong to a dead consumer and are claimed. */
  claimIdleMs?: number;
  /** Stop reading new entries after this long (the next scheduled run continues). */
  maxDurationMs?: number;
  /** Batches written concurrently (default 2). */
  parallelWrites?: number;
}

export interface OutcomeIngestResult {
  /** Entries read and acknowledged. */
  read: number;
  /** Rows actually inserted (duplicates of earlier deliveries excluded). */
  inserted: number;
  /** Entries that were not decision records; acknowledged and dropped. */
  malformed: number;
  batches: number;
  claimed: number;
}

type StreamEntry = [id: string, fields: string[]];

/** Field names a router may use for the JSON record; otherwise the first value is taken. */
const recordFields = new Set(['record', 'data', 'json', 'decision']);

/** The decision record of one stream entry, or undefined when it is not one. */
export function decodeDecisionEntry(fields: readonly string[]): DecisionRecord | undefined {
  return decodeDecisionText(fields)?.record;
}

function decodeDecisionText(fields: readonly string[]): { record: DecisionRecord; text: string; normalized: boolean } | undefined {
  let text: string | undefined;
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (recordFields.has(fields[index] as string)) {
      text = fields[index + 1];
      break;
    }
  }
  text ??= fields[1];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<DecisionRecord>;
  if (typeof record.requestId !== 'string' || record.requestId === '') return undefined;
  if (typeof record.at !== 'string' || Number.isNaN(Date.parse(record.at))) return undefined;
  if (typeof record.route !== 'string' || typeof record.status !== 'number') return undefined;
  let normalized = false;
  if (typeof record.category !== 'string') {
    record.category = 'general';
    normalized = true;
  }
  return { record: record as DecisionRecord, text, normalized };
}

/** Create the consumer group (from the start of the stream) if it does not exist. */
export async function ensureDecisionGroup(redis: Redis, prefix: string): Promise<void> {
  const keys = redisKeys(prefix);
  try {
    await redis.xgroup('CREATE', keys.decisions, keys.decisionsGroup, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('BUSYGROUP')) throw error;
  }
}

/** Postgres "data exception" (22) or "integrity constraint violation" (23): a bad record, not an outage. */
function isBadData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** The JSON text of an entry's record field (the router writes `record <json>`). */
function recordText(fields: readonly string[]): string | undefined {
  if (fields[0] === 'record') return fields[1];
  for (let index = 0; index + 1 < fields.length; index += 2) if (recordFields.has(fields[index] as string)) return fields[index + 1];
  return fields[1];
}

/**
 * Insert a batch. Fast path: the entries' JSON texts joined into one array, validated by
 * Postgres itself. When that fails on bad data (a malformed entry), the batch is validated
 * here and the good records inserted; a record Postgres still refuses is dropped alone.
 * Anything else (the database is down) is thrown, leaving the batch pending.
 */
async function insertBatch(deps: OutcomeIngestDeps, entries: readonly StreamEntry[], result: OutcomeIngestResult): Promise<number> {
  const texts: string[] = [];
  for (const [, fields] of entries) {
    const text = recordText(fields);
    if (text !== undefined && text.startsWith('{')) texts.push(text);
    else result.malformed += 1;
  }
  if (texts.length === 0) return 0;
  try {
    return await insertDecisionsJson(deps.db, `[${texts.join(',')}]`);
  } catch (error) {
    if (!isBadData(error)) throw error;
  }
  const valid: string[] = [];
  for (const [, fields] of entries) {
    const decoded = decodeDecisionText(fields);
    if (decoded) valid.push(decoded.normalized ? JSON.stringify(decoded.record) : decoded.text);
  }
  result.malformed += texts.length - valid.length;
  if (valid.length === 0) return 0;
  try {
    return await insertDecisionsJson(deps.db, `[${valid.join(',')}]`);
  } catch (error) {
    if (!isBadData(error)) throw error;
  }
  let inserted = 0;
  for (const text of valid) {
    try {
      inserted += await insertDecisionsJson(deps.db, `[${text}]`);
    } catch (error) {
      if (!isBadData(error)) throw error;
      result.malformed += 1;
    }
  }
  return inserted;
}

async function writeBatch(deps: OutcomeIngestDeps, entries: StreamEntry[], result: OutcomeIngestResult): Promise<void> {
  if (entries.length === 0) return;
  const keys = redisKeys(deps.prefix);
  // Read the counter after the await: batches are written concurrently.
  const inserted = await insertBatch(deps, entries, result);
  result.inserted += inserted;
  // Acknowledge only after the commit above. Acknowledged entries are trimmed at the end of the run.
  await deps.redis.xack(keys.decisions, keys.decisionsGroup, ...entries.map(([id]) => id));
  result.read += entries.length;
  result.batches += 1;
}

/**
 * Trim acknowledged entries: everything older than the oldest entry still pending (or,
 * with none pending, than the group's last delivered entry) has been written and acked.
 */
async function trimAcknowledged(redis: Redis, prefix: string): Promise<void> {
  const keys = redisKeys(prefix);
  const pending = (await redis.xpending(keys.decisions, keys.decisionsGroup)) as [number, string | null, string | null, unknown];
  let boundary: string | undefined;
  if (Number(pending[0]) > 0 && pending[1]) {
    boundary = pending[1];
  } else {
    const groups = (await redis.xinfo('GROUPS', keys.decisions)) as unknown[][];
    for (const group of groups) {
      const info = new Map<string, unknown>();
      for (let index = 0; index + 1 < group.length; index += 2) info.set(String(group[index]), group[index + 1]);
      if (info.get('name') !== keys.decisionsGroup) continue;
      const last = String(info.get('last-delivered-id') ?? '0-0');
      const [ms, seq] = last.split('-').map(Number) as [number, number];
      boundary = `${ms}-${seq + 1}`;
    }
  }
  // MINID removes entries with ids below the boundary, never the boundary itself.
  if (boundary && boundary !== '0-1') await redis.xtrim(keys.decisions, 'MINID', boundary);
}

/** Drain the decisions stream into Postgres (pending entries of dead consumers first). */
export async function ingestDecisions(deps: OutcomeIngestDeps, options: OutcomeIngestOptions): Promise<OutcomeIngestResult> {
  const keys = redisKeys(deps.prefix);
  const result: OutcomeIngestResult = { read: 0, inserted: 0, malformed: 0, batches: 0, claimed: 0 };
  const started = Date.now();
  const maxDurationMs = options.maxDurationMs ?? 10_000;
  await ensureDecisionGroup(deps.redis, deps.prefix);

  // 1. Entries delivered to a consumer that died before acknowledging them.
  let cursor = '0-0';
  do {
    const reply = (await deps.redis.xautoclaim(
      keys.decisions,
      keys.decisionsGroup,
      options.consumer,
      options.claimIdleMs ?? 30_000,
      cursor,
      'COUNT',
      options.batchSize,
    )) as [string, StreamEntry[], string[]?];
    cursor = reply[0];
    const entries = reply[1].filter((entry): entry is StreamEntry => Array.isArray(entry) && Array.isArray(entry[1]));
    result.claimed += entries.length;
    // Entries trimmed away while pending are dropped from the pending list by Redis itself.
    await writeBatch(deps, entries, result);
  } while (cursor !== '0-0' && Date.now() - started < maxDurationMs);

  // 2. New entries. Reading the next batch overlaps with writing the previous ones (up to
  // `parallelWrites` in flight): batches are independent, each acknowledged after its commit.
  const parallel = Math.max(1, options.parallelWrites ?? 2);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  while (Date.now() - started < maxDurationMs && failure === undefined) {
    const reply = (await deps.redis.xreadgroup(
      'GROUP',
      keys.decisionsGroup,
      options.consumer,
      'COUNT',
      options.batchSize,
      'STREAMS',
      keys.decisions,
      '>',
    )) as Array<[string, StreamEntry[]]> | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) break;
    const write: Promise<void> = writeBatch(deps, entries, result)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
    if (entries.length < options.batchSize) break;
  }
  await Promise.all(inFlight);
  // Entries of a failed batch stay pending (unacknowledged) and are claimed by a later run.
  if (failure !== undefined) throw failure;

  if (result.read > 0) await trimAcknowledged(deps.redis, deps.prefix);
  if (result.inserted > 0) {
    await publishLiveEvent(deps.redis, deps.prefix, { type: 'decisions', count: result.inserted }).catch(() => undefined);
    deps.logger?.debug({ ...result }, 'decision records ingested');
  }
  if (result.malformed > 0) deps.logger?.warn({ malformed: result.malformed }, 'dropped stream entries that are not decision records');
  return result;
}

/** Append decision records to the stream the way a router does (tests, benchmarks, demos). */
export async function appendDecisions(redis: Redis, prefix: string, records: readonly DecisionRecord[]): Promise<void> {
  const key = redisKeys(prefix).decisions;
  for (let start = 0; start < records.length; start += 1000) {
    const pipeline = redis.pipeline();
    for (const record of records.slice(start, start + 1000)) pipeline.xadd(key, '*', 'record', JSON.stringify(record));
    await pipeline.exec();
  }
}
