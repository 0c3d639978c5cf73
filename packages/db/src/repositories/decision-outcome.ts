/**
 * What a decision's outcome counts as, shared by every count of errors over `route_decisions`
 * (the leaderboard's aggregates and decisions list, the optimizer's live evidence), so that
 * they agree on what a failure is.
 */
import { sql } from 'kysely';

/**
 * The request failed: an error status, or an error after it answered (a stream cut after its
 * first token). A client that closed the connection is not a failure.
 */
export const requestFailed = sql<boolean>`(status >= 400 or (error_code is not null and error_code <> 'client_closed'))`;
