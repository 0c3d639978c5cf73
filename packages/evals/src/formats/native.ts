import { isRecord } from '@switchyard/core';
import type { EvalItem } from '../item';
import { RowError } from '../report';
import { asText, finishItem, toChoices, toGrader, toId, toIdeal, toMessages, toRecord } from './common';

const nativeKeys = new Set(['id', 'input', 'ideal', 'grader', 'grader_options', 'graderOptions', 'category', 'choices', 'meta']);

/**
 * An OpenAI evals sample has exactly `input` (a message list) and `ideal`; anything with our
 * own fields (`grader`, `category`, `id`, …) or a string input is the native format.
 */
export function looksLikeOpenAiEvals(record: Record<string, unknown>): boolean {
  return Array.isArray(record.input) && 'ideal' in record && Object.keys(record).every((key) => key === 'input' || key === 'ideal');
}

/** One native (or OpenAI evals) JSONL record as an item. `defaultGrader` differs between the two. */
export function nativeItem(record: unknown, defaultGrader: 'exact' | 'includes'): EvalItem {
  if (!isRecord(record)) throw new RowError('each line must be a JSON object');
  const extra = Object.keys(record).filter((key) => !nativeKeys.has(key));
  const meta = { ...toRecord(record.meta, 'meta') };
  // Unknown top-level fields are kept in meta rather than dropped silently.
  for (const key of extra) meta[key] = record[key];
  return finishItem(
    {
      id: toId(record.id),
      input: toMessages(record.input),
      ideal: toIdeal(record.ideal),
      grader: toGrader(record.grader),
      graderOptions: toRecord(record.grader_options ?? record.graderOptions, 'grader_options'),
      category: record.category === undefined || record.category === null ? undefined : asText(record.category, 'category'),
      choices: toChoices(record.choices),
      meta,
    },
    { grader: defaultGrader },
  );
}
