import { createHash, hash as oneShotHash } from 'node:crypto';
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

const sortKeys = (_key: string, value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key];
  return sorted;
};

/** JSON with object keys sorted, so equal values always serialize (and hash) the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, sortKeys) ?? 'null';
}

export const sha256 = (text: string) => oneShotHash('sha256', text, 'hex');

const json = JSON.stringify;
const itemKeys = new Set(['id', 'category', 'choices', 'grader', 'graderOptions', 'ideal', 'input', 'meta']);

/**
 * The canonical JSON of an item's content without its id: exactly `canonicalJson` of the
 * item minus `id`, written out by hand for the known fields (keys in sorted order) because
 * it runs once per item of every upload.
 */
export function itemContentJson(item: Omit<EvalItem, 'id'> & { id?: string }): string {
  if (Object.keys(item).some((key) => !itemKeys.has(key) && (item as Record<string, unknown>)[key] !== undefined)) {
    const { id: _id, ...content } = item;
    return canonicalJson(content);
  }
  let out = `{"category":${json(item.category)}`;
  if (item.choices !== undefined) out += `,"choices":${canonicalJson(item.choices)}`;
  out += `,"grader":${json(item.grader)},"graderOptions":${canonicalJson(item.graderOptions)},"ideal":${canonicalJson(item.ideal)},"input":[`;
  for (let index = 0; index < item.input.length; index += 1) {
    const message = item.input[index]!;
    out += `${index === 0 ? '' : ','}{"content":${json(message.content)},"role":${json(message.role)}}`;
  }
  out += ']';
  if (item.meta !== undefined) out += `,"meta":${canonicalJson(item.meta)}`;
  return `${out}}`;
}

/** Hash of an item's content without its id: two items asking the same thing hash alike. */
export function itemContentHash(item: Omit<EvalItem, 'id'> & { id?: string }): string {
  return sha256(itemContentJson(item));
}

/**
 * Incremental dataset version hash: feed items in order with their content hashes. The
 * version is the hash of (id, content hash) pairs, so the same items in the same order
 * always give the same version, and any edit, reorder or rename gives a new one.
 */
export class VersionHasher {
  private readonly hash = createHash('sha256');
  add(id: string, contentHash: string): void {
    this.hash.update(`${JSON.stringify(id)} ${contentHash}\n`);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A dataset version id: the hash of its canonical items in order (see VersionHasher). */
export function datasetVersionId(items: readonly EvalItem[]): string {
  const hasher = new VersionHasher();
  for (const item of items) hasher.add(item.id, itemContentHash(item));
  return hasher.digest();
}
