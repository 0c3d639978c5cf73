/**
 * API key authentication for /v1/*. Every active key is loaded into memory at start (keyed by
 * its SHA-256), so the request path hashes the bearer token and does one Map lookup. A token
 * not in the map is looked up in Postgres once (a key created a moment ago works at once) and
 * remembered as unknown for a while, so a flood of wrong keys does not reach the database.
 * Revocation: a message on `apiKeysChannel` (the key id, or `*`) drops the key at once; the
 * periodic refresh catches a missed message. Per-key rate limits are token buckets.
 */
import { createHash } from 'node:crypto';
import { SwitchyardError } from '@switchyard/core';
import type { ApiKeyRow } from '@switchyard/db';

export interface ApiKeyEntry {
  id: string;
  name: string;
  routes: ReadonlySet<string> | undefined;
  models: ReadonlySet<string> | undefined;
  ratePerMinute: number | undefined;
  tokens: number;
  refilledAt: number;
}

export interface ApiKeyStore {
  listActive(): Promise<ApiKeyRow[]>;
  findByHash(hash: string): Promise<ApiKeyRow | undefined>;
}

const NEGATIVE_TTL_MS = 5_000;
const MAX_NEGATIVE = 10_000;

function toEntry(row: ApiKeyRow): ApiKeyEntry {
  return {
    id: row.id,
    name: row.name,
    routes: row.routes && row.routes.length > 0 ? new Set(row.routes) : undefined,
    models: row.models && row.models.length > 0 ? new Set(row.models) : undefined,
    ratePerMinute: row.rate_limit_per_min ?? undefined,
    tokens: row.rate_limit_per_min ?? 0,
    refilledAt: Date.now(),
  };
}

function unauthorized(message: string): SwitchyardError {
  return new SwitchyardError('auth', message, { retryable: false });
}

export class ApiKeyCache {
  private byHash = new Map<string, ApiKeyEntry>();
  private readonly unknown = new Map<string, number>();

  constructor(private readonly store: ApiKeyStore) {}

  /** Load (or reload) every active key, keeping the rate-limit state of keys that stay. */
  async refresh(): Promise<void> {
    const rows = await this.store.listActive();
    const next = new Map<string, ApiKeyEntry>();
    for (const row of rows) {
      const previous = this.byHash.get(row.key_hash);
      const entry = toEntry(row);
      if (previous) {
        entry.tokens = Math.min(previous.tokens, entry.ratePerMinute ?? 0);
        entry.refilledAt = previous.refilledAt;
      }
      next.set(row.key_hash, entry);
    }
    this.byHash = next;
    this.unknown.clear();
  }

  /** A revocation or change notice: the key id, or `*` for everything. */
  invalidate(message: string): void {
    if (message === '*' || message === '') {
      this.byHash.clear();
    } else {
      for (const [hash, entry] of this.byHash) if (entry.id === message) this.byHash.delete(hash);
    }
    this.unknown.clear();
  }

  /** The key's entry from an Authorization header; the Promise only on a cache miss. */
  authenticate(header: string | undefined): ApiKeyEntry | Promise<ApiKeyEntry> {
    if (header === undefined || header === '') throw unauthorized('Missing API key: send "Authorization: Bearer <key>"');
    if (!header.startsWith('Bearer ') && !header.startsWith('bearer ')) throw unauthorized('The Authorization header must be "Bearer <key>"');
    const token = header.slice(7).trim();
    if (token.length === 0 || token.length > 256) throw unauthorized('Invalid API key');
    const hash = createHash('sha256').update(token).digest('hex');
    const entry = this.byHash.get(hash);
    if (entry) return entry;
    const knownUnknown = this.unknown.get(hash);
    if (knownUnknown !== undefined && knownUnknown > Date.now()) throw unauthorized('Invalid API key');
    return this.lookup(hash);
  }

  private async lookup(hash: string): Promise<ApiKeyEntry> {
    const row = await this.store.findByHash(hash);
    if (!row || row.revoked_at !== null) {
      if (this.unknown.size >= MAX_NEGATIVE) this.unknown.clear();
      this.unknown.set(hash, Date.now() + NEGATIVE_TTL_MS);
      throw unauthorized(row ? 'This API key has been revoked' : 'Invalid API key');
    }
    const entry = this.byHash.get(hash) ?? toEntry(row);
    this.byHash.set(hash, entry);
    return entry;
  }

  /** Take one request from the key's bucket; throws 429 with retry-after when empty. */
  static consume(entry: ApiKeyEntry, now = Date.now()): void {
    const rate = entry.ratePerMinute;
    if (rate === undefined) return;
    const refill = ((now - entry.refilledAt) * rate) / 60_000;
    entry.tokens = Math.min(rate, entry.tokens + refill);
    entry.refilledAt = now;
    if (entry.tokens >= 1) {
      entry.tokens -= 1;
      return;
    }
    const retryAfterMs = Math.ceil(((1 - entry.tokens) * 60_000) / rate);
    throw new SwitchyardError('rate_limited', `Rate limit of ${rate} requests per minute reached for API key "${entry.name}"`, {
      retryable: true,
      retryAfterMs,
    });
  }
}
