import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Every grader the package implements; `all` combines several (promptfoo tests with many asserts). */
export const graderNames = z.enum(['exact', 'includes', 'regex', 'choice', 'numeric', 'json', 'llm-judge', 'all']);
export type GraderName = z.infer<typeof graderNames>;

export const evalMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.string(),
});
export type EvalMessage = z.infer<typeof evalMessageSchema>;

/**
 * One canonical eval item, whatever format it came from. `input` is the conversation sent
 * to the model; `ideal` the accepted answers (or patterns, rubric, schema source, depending
 * on the grader); `choices` the option texts A, B, C… of a multiple-choice item.
 */
export const evalItemSchema = z.object({
  id: z.string().min(1),
  input: z.array(evalMessageSchema).min(1),
  ideal: z.array(z.string()),
  grader: graderNames,
  graderOptions: z.record(z.string(), z.unknown()),
  category: z.string().min(1),
  choices: z.array(z.string()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type EvalItem = z.infer<typeof evalItemSchema>;

/** Dataset formats the parser detects. */
export const datasetFormats = z.enum(['jsonl', 'openai-evals-jsonl', 'promptfoo-jsonl', 'promptfoo-csv', 'promptfoo-yaml', 'yaml', 'csv']);
export type DatasetFormat = z.infer<typeof datasetFormats>;

/** JSON with object keys sorted, so equal values always serialize (and hash) the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Hash of an item's content without its id: two items asking the same thing hash alike. */
export function itemContentHash(item: Omit<EvalItem, 'id'> & { id?: string }): string {
  const { id: _id, ...content } = item;
  return sha256(canonicalJson(content));
}

/**
 * A dataset version id: the hash of its canonical items in order (ids included), so the
 * same file uploaded twice yields the same version, and any edit yields a new one.
 */
export function datasetVersionId(items: readonly EvalItem[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(canonicalJson(item)).update('\n');
  return hash.digest('hex');
}
