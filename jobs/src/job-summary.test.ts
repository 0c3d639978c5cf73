import { describe, expect, it } from 'vitest';
import { jobIsIdle, jobIsRoutine, jobOutcome, jobSubject } from './job-summary';

describe('job summaries', () => {
  it('names what a job is about', () => {
    expect(jobSubject('latency-probe', { model: 'sim-openai/swift-mini' })).toBe('sim-openai/swift-mini');
    expect(jobSubject('eval-run', { runId: '0123456789abcdef', itemIds: ['a', 'b'] })).toBe('run 01234567 · 2 items');
    expect(jobSubject('optimize', { reason: 'route auto saved' })).toBe('route auto saved');
    expect(jobSubject('eval-item-sim-openai', { runId: '0123456789abcdef', modelId: 'sim-openai/allround-m', itemId: 'x' })).toBe('sim-openai/allround-m · run 01234567');
    expect(jobSubject('outcome-ingest', {})).toBeNull();
    expect(jobSubject('latency-probe', null)).toBeNull();
  });

  it('says how a completed job ended, from its return value', () => {
    expect(jobOutcome('latency-probe', { status: 'ok', model: 'm', samples: 2, errors: 1, costUsd: 0.0012, spentTodayUsd: 0.1 })).toBe('2 samples, 1 error, $0.0012');
    expect(jobOutcome('latency-probe', { status: 'budget_exhausted', model: 'm', message: 'daily budget $0.04 spent', spentTodayUsd: 0.04, budgetUsd: 0.04, estimateUsd: 0.01 })).toBe(
      'budget_exhausted: daily budget $0.04 spent',
    );
    expect(jobOutcome('optimize', { published: true, reason: 'weights moved', hash: 'abcdef0123', previousHash: null, evidence: {} })).toBe('published abcdef01: weights moved');
    expect(jobOutcome('optimize', { published: false, reason: 'below threshold', hash: null, previousHash: 'x', evidence: {} })).toBe('not published: below threshold');
    expect(jobOutcome('outcome-ingest', { read: 0, inserted: 0, malformed: 0, batches: 0, claimed: 0 })).toBe('nothing to ingest');
    expect(jobOutcome('outcome-ingest', { read: 5, inserted: 4, malformed: 1, batches: 1, claimed: 0 })).toBe('4 records stored, 1 malformed dropped');
    expect(jobOutcome('catalog-sync', { models: 8, providersListed: 3, observations: 8, disagreements: [], errors: [] })).toBe('8 models, 0 price disagreements, 0 errors');
    expect(jobOutcome('eval-run', { runId: 'r', done: 160, errors: 0 })).toBe('160 items done, 0 errors');
    expect(jobOutcome('eval-item-sim-openai', { written: true, score: 1, errorCode: null })).toBe('score 1.00');
    expect(jobOutcome('eval-item-sim-openai', { written: true, score: null, errorCode: 'timeout' })).toBe('error: timeout');
    expect(jobOutcome('optimize', null)).toBeNull();
  });

  it('marks an ingest that found nothing as idle, and nothing else', () => {
    expect(jobIsIdle('outcome-ingest', { read: 0, inserted: 0, malformed: 0, batches: 0, claimed: 0 })).toBe(true);
    expect(jobIsIdle('outcome-ingest', { read: 3, inserted: 3, malformed: 0, batches: 1, claimed: 0 })).toBe(false);
    expect(jobIsIdle('optimize', { published: false, reason: 'x' })).toBe(false);
    expect(jobIsIdle('outcome-ingest', null)).toBe(false);
  });

  it('counts successful ingests, clean probes and demo ticks as routine', () => {
    expect(jobIsRoutine('outcome-ingest', { read: 4, inserted: 4, malformed: 0 })).toBe(true);
    expect(jobIsRoutine('latency-probe', { status: 'ok', model: 'm', samples: 2, errors: 0, costUsd: 0.001, spentTodayUsd: 0.01 })).toBe(true);
    expect(jobIsRoutine('demo-traffic', { sent: 1 })).toBe(true);
  });

  it('keeps failures, probes that were refused or saw errors, ingests that dropped rows, evals and optimizer runs', () => {
    // A failed job has no return value.
    expect(jobIsRoutine('outcome-ingest', null)).toBe(false);
    expect(jobIsRoutine('latency-probe', null)).toBe(false);
    expect(jobIsRoutine('latency-probe', { status: 'ok', samples: 2, errors: 1 })).toBe(false);
    expect(jobIsRoutine('latency-probe', { status: 'budget_exhausted', message: 'over budget' })).toBe(false);
    expect(jobIsRoutine('outcome-ingest', { read: 5, inserted: 3, malformed: 2 })).toBe(false);
    expect(jobIsRoutine('eval-run', { done: 10, errors: 0 })).toBe(false);
    expect(jobIsRoutine('optimize', { published: false, reason: 'no change' })).toBe(false);
    expect(jobIsRoutine('catalog-sync', { models: 8 })).toBe(false);
  });

  it('treats every completed demo-traffic tick as idle, but not a failed one', () => {
    expect(jobIsIdle('demo-traffic', { sent: 2, skipped: 0 })).toBe(true);
    expect(jobIsIdle('demo-traffic', { sent: 0, skipped: 0 })).toBe(true);
    // A failed job has no return value.
    expect(jobIsIdle('demo-traffic', null)).toBe(false);
    expect(jobOutcome('demo-traffic', { sent: 2, skipped: 0 })).toBe('2 requests sent');
    expect(jobOutcome('demo-traffic', { sent: 1, skipped: 3 })).toBe('1 request sent, 3 skipped (too many in flight)');
  });
});
