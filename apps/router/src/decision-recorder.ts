/**
 * Decision records go to a Redis stream without the response ever waiting on it: `record`
 * pushes onto a bounded in-memory buffer and schedules a flush `FLUSH_DELAY_MS` later (so that
 * under load one round trip carries many records instead of one or two); a flush sends up to
 * `batchSize` records in one command, a script that runs `XADD key MAXLEN ~ N * record <json>`
 * for each (one command per batch, not one per record, keeps the client's work per record to
 * serializing it). While Redis
 * is not ready the buffer keeps filling up to `maxBuffered`, past which records are dropped
 * and counted; a failed batch is dropped (counted) rather than retried forever.
 */
import type { Redis } from 'ioredis';
import type { DecisionRecord } from '@switchyard/core';

/** Field of each stream entry holding the JSON-encoded `DecisionRecord`. */
export const DECISION_FIELD = 'record';
/** How long a record may wait for others to share its round trip. */
const FLUSH_DELAY_MS = 10;
/** KEYS[1] = stream, ARGV[1] = MAXLEN, ARGV[2..] = records; returns how many were added. */
const XADD_BATCH = `for i = 2, #ARGV do redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${DECISION_FIELD}', ARGV[i]) end return #ARGV - 1`;

export interface DecisionRecorderOptions {
  redis: Redis | undefined;
  streamKey: string;
  maxLen: number;
  maxBuffered?: number;
  batchSize?: number;
  onDropped?(count: number): void;
  onWritten?(count: number): void;
}

export class DecisionRecorder {
  private buffer: DecisionRecord[] = [];
  /** The batch being written: no longer buffered, not yet in the stream. */
  private sending: readonly DecisionRecord[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private readonly maxBuffered: number;
  private readonly batchSize: number;
  private readonly retryTimer: NodeJS.Timeout;
  dropped = 0;
  written = 0;

  constructor(private readonly options: DecisionRecorderOptions) {
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.batchSize = options.batchSize ?? 500;
    // Picks up what piled up while Redis was away.
    this.retryTimer = setInterval(() => this.schedule(), 1000);
    this.retryTimer.unref();
  }

  record(record: DecisionRecord): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.drop(1);
      return;
    }
    this.buffer.push(record);
    this.schedule();
  }

  private drop(count: number): void {
    this.dropped += count;
    this.options.onDropped?.(count);
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.buffer.length === 0) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.flush();
    }, FLUSH_DELAY_MS);
  }

  /** Write what is buffered (resolves when the in-flight batches are done). */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const redis = this.options.redis;
    if (!redis || redis.status !== 'ready' || this.buffer.length === 0) {
      if (!redis && this.buffer.length > 0) this.drop(this.buffer.splice(0).length);
      return;
    }
    this.flushing = (async () => {
      while (this.buffer.length > 0 && redis.status === 'ready') {
        const batch = this.buffer.length <= this.batchSize ? this.buffer : this.buffer.slice(0, this.batchSize);
        this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.batchSize);
        this.sending = batch;
        const args: string[] = new Array<string>(batch.length + 1);
        args[0] = String(this.options.maxLen);
        for (let index = 0; index < batch.length; index += 1) args[index + 1] = JSON.stringify(batch[index]);
        try {
          await redis.eval(XADD_BATCH, 1, this.options.streamKey, ...args);
          this.written += batch.length;
          this.options.onWritten?.(batch.length);
        } catch {
          this.drop(batch.length);
        }
      }
    })().finally(() => {
      this.sending = [];
      this.flushing = undefined;
      this.schedule();
    });
    return this.flushing;
  }

  /** Whether a record of this request is still here (buffered or being written). */
  has(requestId: string): boolean {
    for (const record of this.buffer) if (record.requestId === requestId) return true;
    for (const record of this.sending) if (record.requestId === requestId) return true;
    return false;
  }

  /**
   * Whether a record of this request waits in the stream (not yet ingested) among its newest
   * `limit` entries; undefined when that cannot be told (Redis not ready, or more waiting).
   */
  async inStream(requestId: string, limit = 10_000): Promise<boolean | undefined> {
    const redis = this.options.redis;
    if (!redis || redis.status !== 'ready') return undefined;
    const entries = await redis.xrevrange(this.options.streamKey, '+', '-', 'COUNT', limit);
    // Records are serialized with `requestId` as their first key (DecisionRecord's order).
    const needle = `"requestId":${JSON.stringify(requestId)}`;
    for (const [, fields] of entries) if (fields[1]?.includes(needle)) return true;
    return entries.length < limit ? false : undefined;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  async close(): Promise<void> {
    clearInterval(this.retryTimer);
    await this.flush();
  }
}
