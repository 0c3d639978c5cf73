/**
 * Decision records go to a Redis stream without the response ever waiting on it: `record`
 * pushes onto a bounded in-memory buffer and schedules a flush `FLUSH_DELAY_MS` later (so that
 * under load one round trip carries many records instead of one or two); a flush sends up to
 * `batchSize` records in one pipeline of `XADD key MAXLEN ~ N * record <json>`. While Redis
 * is not ready the buffer keeps filling up to `maxBuffered`, past which records are dropped
 * and counted; a failed pipeline drops its batch (counted) rather than retrying forever.
 */
import type { Redis } from 'ioredis';
import type { DecisionRecord } from '@switchyard/core';

/** Field of each stream entry holding the JSON-encoded `DecisionRecord`. */
export const DECISION_FIELD = 'record';
/** How long a record may wait for others to share its round trip. */
const FLUSH_DELAY_MS = 10;

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
        const pipeline = redis.pipeline();
        const maxLen = String(this.options.maxLen);
        for (const record of batch) pipeline.xadd(this.options.streamKey, 'MAXLEN', '~', maxLen, '*', DECISION_FIELD, JSON.stringify(record));
        try {
          const results = await pipeline.exec();
          let failed = 0;
          for (const [error] of results ?? []) if (error) failed += 1;
          if (failed > 0) this.drop(failed);
          this.written += batch.length - failed;
          this.options.onWritten?.(batch.length - failed);
        } catch {
          this.drop(batch.length);
        }
      }
    })().finally(() => {
      this.flushing = undefined;
      this.schedule();
    });
    return this.flushing;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  async close(): Promise<void> {
    clearInterval(this.retryTimer);
    await this.flush();
  }
}
