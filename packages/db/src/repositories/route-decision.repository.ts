import { sql } from 'kysely';
import type { DecisionRecord } from '@switchyard/core';
import type { Db } from '../database';
import type { RouteDecisionRow } from '../tables/route-decision.table';

/**
 * Insert decision records in one statement, idempotent on `request_id`: the whole batch
 * travels as one JSON parameter and Postgres expands it with `json_to_recordset` (plain json:
 * parsed once, lazily, about half the cost of jsonb here), far cheaper than thousands of bound
 * parameters. A request id repeated within the batch is skipped like any conflict. Returns how
 * many rows were new.
 */
export async function insertDecisions(db: Db, records: readonly DecisionRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return insertDecisionsJson(db, JSON.stringify(records));
}

/**
 * Like `insertDecisions`, for callers that already hold the records as JSON text (a JSON
 * array of `DecisionRecord` objects), which saves re-serializing a large batch.
 */
export async function insertDecisionsJson(db: Db, payload: string): Promise<number> {
  const result = await sql`
    insert into route_decisions (
      request_id, at, route, category, chosen_model, served_model, candidates, attempts, fallbacks,
      policy_hash, status, error_code, stream, ttft_ms, latency_ms, prompt_tokens, completion_tokens,
      cost_usd, cost_estimated, api_key_id, features, content
    )
    select
      r."requestId", r."at", r."route", r."category", r."chosenModel", r."servedModel",
      coalesce(r."candidates", '[]'::jsonb), coalesce(r."attempts", '[]'::jsonb), coalesce(r."fallbacks", 0),
      r."policyHash", r."status", r."errorCode", coalesce(r."stream", false), r."ttftMs", r."latencyMs",
      r."promptTokens", r."completionTokens", r."costUsd", coalesce(r."costEstimated", false), r."apiKeyId",
      r."features", r."content"
    from json_to_recordset(${payload}::json) as r(
      "requestId" text, "at" timestamptz, "route" text, "category" text, "chosenModel" text, "servedModel" text,
      "candidates" jsonb, "attempts" jsonb, "fallbacks" integer, "policyHash" text, "status" integer,
      "errorCode" text, "stream" boolean, "ttftMs" double precision, "latencyMs" double precision,
      "promptTokens" integer, "completionTokens" integer, "costUsd" double precision, "costEstimated" boolean,
      "apiKeyId" text, "features" jsonb, "content" jsonb
    )
    on conflict (request_id) do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether a routed request's decision has been ingested. */
export async function decisionExists(db: Db, requestId: string): Promise<boolean> {
  const row = await db.selectFrom('route_decisions').select('request_id').where('request_id', '=', requestId).executeTakeFirst();
  return row !== undefined;
}

export function countDecisions(db: Db, options: { since?: Date } = {}): Promise<number> {
  let query = db.selectFrom('route_decisions').select((eb) => eb.fn.countAll<number>().as('count'));
  if (options.since) query = query.where('at', '>=', options.since);
  return query.executeTakeFirstOrThrow().then((row) => Number(row.count));
}

export interface ListDecisionsOptions {
  route?: string;
  limit?: number;
}

/**
 * The most recent decisions of a route, newest first (served by the `route_decisions_*_at`
 * indexes). One page only: the API's decision list pages with an exact keyset cursor.
 */
export function listDecisions(db: Db, options: ListDecisionsOptions = {}): Promise<RouteDecisionRow[]> {
  let query = db
    .selectFrom('route_decisions')
    .selectAll()
    .orderBy('at', 'desc')
    .limit(Math.min(options.limit ?? 100, 1000));
  if (options.route) query = query.where('route', '=', options.route);
  return query.execute();
}
