/** Test data factories shared by the jobs tests. Each call makes fresh, unique data. */
import { randomUUID } from 'node:crypto';
import type { DecisionRecord } from '@switchyard/core';

export function decisionRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const model = overrides.servedModel ?? 'sim/alpha';
  return {
    requestId: randomUUID(),
    at: new Date().toISOString(),
    route: 'auto',
    category: 'general',
    categorySource: 'classifier',
    chosenModel: model,
    servedModel: model,
    candidates: [{ model, weight: 1 }],
    attempts: [{ model: model ?? 'sim/alpha', ok: true, status: 200, latencyMs: 120 }],
    fallbacks: 0,
    policyHash: null,
    status: 200,
    errorCode: null,
    stream: false,
    ttftMs: 80,
    latencyMs: 120,
    promptTokens: 40,
    completionTokens: 12,
    costUsd: 0.00001,
    costEstimated: false,
    apiKeyId: null,
    features: null,
    content: null,
    ...overrides,
  };
}

export function decisionRecords(count: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord[] {
  return Array.from({ length: count }, () => decisionRecord(overrides));
}
