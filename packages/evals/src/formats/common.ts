import { DEFAULT_CATEGORY, isRecord, normalizeCategoryName } from '@switchyard/core';
import { graderNames, itemContentHash, type EvalItem, type EvalMessage, type GraderName } from '../item';
import { RowError } from '../report';
import { parseNumber } from '../graders/numeric';

const roles = new Set(['system', 'developer', 'user', 'assistant']);
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A scalar cell or field as text; objects are not accepted where text is expected. */
export function asText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RowError(`\`${field}\` must be text, got ${describe(value)}`, field);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `input` as a string (one user message) or a list of chat messages (content text or text parts). */
export function toMessages(value: unknown, field = 'input'): EvalMessage[] {
  if (value === undefined || value === null) throw new RowError(`\`${field}\` is missing`, field);
  if (typeof value === 'string') {
    if (value.trim() === '') throw new RowError(`\`${field}\` is empty`, field);
    return [{ role: 'user', content: value }];
  }
  if (!Array.isArray(value)) throw new RowError(`\`${field}\` must be a string or a list of messages, got ${describe(value)}`, field);
  if (value.length === 0) throw new RowError(`\`${field}\` is an empty list`, field);
  return value.map((message, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(message)) throw new RowError(`\`${at}\` must be a message object with \`role\` and \`content\``, at);
    const role = message.role;
    if (typeof role !== 'string' || !roles.has(role)) {
      throw new RowError(`\`${at}.role\` must be one of system, developer, user, assistant${role === undefined ? '' : ` (got ${JSON.stringify(role)})`}`, `${at}.role`);
    }
    return { role: role as EvalMessage['role'], content: messageContent(message.content, `${at}.content`) };
  });
}

function messageContent(content: unknown, field: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part, index) => {
        if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        throw new RowError(`\`${field}[${index}]\` is not a text part (only text content is supported)`, `${field}[${index}]`);
      })
      .join('');
  }
  if (content === undefined) throw new RowError(`\`${field}\` is missing`, field);
  throw new RowError(`\`${field}\` must be text, got ${describe(content)}`, field);
}

export function toIdeal(value: unknown, field = 'ideal'): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((entry, index) => asText(entry, `${field}[${index}]`));
  return [asText(value, field)];
}

export function toGrader(value: unknown, field = 'grader'): GraderName | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = graderNames.safeParse(typeof value === 'string' ? value.trim().toLowerCase() : value);
  if (!parsed.success) {
    throw new RowError(`\`${field}\` ${JSON.stringify(value)} is not a grader (use one of ${graderNames.options.join(', ')})`, field);
  }
  return parsed.data;
}

/** Items whose category was written differently in the file (the original, as written). */
const categoriesAsWritten = new WeakMap<EvalItem, string>();

/** The category as the file wrote it, when it was normalized to store it (see `categoryName`). */
export function categoryAsWritten(item: EvalItem): string | undefined {
  return categoriesAsWritten.get(item);
}

/**
 * A category as written in a file, as a name the router can be asked for ("Math Stuff" →
 * "math-stuff", "MATH" → "math"); a row error when nothing usable is left.
 */
export function categoryName(raw: string, field = 'category'): string {
  const name = normalizeCategoryName(raw);
  if (name !== undefined) return name;
  if (raw.trim() === '') throw new RowError(`\`${field}\` is empty: leave it out (the item is then "${DEFAULT_CATEGORY}") or name one, like "math"`, field);
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  // Normalizing fails for one of two reasons: nothing usable is left, or too much is.
  if (/[a-z0-9]/i.test(raw.normalize('NFKD'))) throw new RowError(`\`${field}\` ${shown} is longer than 64 characters, the limit for a category name`, field);
  throw new RowError(`\`${field}\` ${shown} cannot be made a category name: use letters a-z and digits (with spaces, - or _), like "math" or "code review"`, field);
}

export interface DraftItem {
  id?: string;
  input: EvalMessage[];
  ideal?: string[];
  grader?: GraderName;
  graderOptions?: Record<string, unknown>;
  category?: string;
  choices?: string[];
  meta?: Record<string, unknown>;
}

/** Grader-specific checks and normalization, then a complete item (id from the content hash when absent). */
export function finishItem(draft: DraftItem, defaults: { grader: GraderName }): EvalItem {
  const grader = draft.grader ?? (draft.choices && draft.choices.length > 0 ? 'choice' : defaults.grader);
  const graderOptions = draft.graderOptions ?? {};
  let ideal = draft.ideal ?? [];
  const needsIdeal = grader !== 'json' && grader !== 'llm-judge' && grader !== 'all';
  if (needsIdeal && ideal.length === 0) throw new RowError(draft.ideal === undefined ? '`ideal` is missing' : '`ideal` is empty', 'ideal');
  if (grader === 'llm-judge' && ideal.length === 0 && typeof graderOptions.rubric !== 'string') {
    throw new RowError('the llm-judge grader needs a rubric: set `grader_options.rubric` or `ideal`', 'ideal');
  }
  if (grader === 'numeric') {
    for (const [index, value] of ideal.entries()) {
      if (parseNumber(value) === null) throw new RowError(`\`ideal\` ${JSON.stringify(value)} is not a number`, ideal.length > 1 ? `ideal[${index}]` : 'ideal');
    }
  }
  if (grader === 'regex') {
    for (const value of ideal) {
      try {
        new RegExp(value, typeof graderOptions.flags === 'string' ? graderOptions.flags : undefined);
      } catch (error) {
        throw new RowError(`\`ideal\` is not a valid regular expression: ${(error as Error).message}`, 'ideal');
      }
    }
  }
  if (grader === 'choice') ideal = ideal.map((value) => choiceLetter(value, draft.choices));
  const category = draft.category === undefined ? DEFAULT_CATEGORY : categoryName(draft.category);
  const item: Omit<EvalItem, 'id'> = {
    input: draft.input,
    ideal,
    grader,
    graderOptions,
    category,
    ...(draft.choices && draft.choices.length > 0 ? { choices: draft.choices } : {}),
    ...(draft.meta && Object.keys(draft.meta).length > 0 ? { meta: draft.meta } : {}),
  };
  const id = draft.id?.trim() || `item-${itemContentHash(item).slice(0, 16)}`;
  if (id.length > 256) throw new RowError('`id` is longer than 256 characters', 'id');
  const finished: EvalItem = { id, ...item };
  if (draft.category !== undefined && draft.category !== category) categoriesAsWritten.set(finished, draft.category);
  return finished;
}

/** A choice item's ideal as a letter: a letter within range, or the text of one of the choices. */
function choiceLetter(value: string, choices: string[] | undefined): string {
  const trimmed = value.trim().replace(/^\(?([A-Za-z])[).]?$/, '$1');
  if (/^[A-Za-z]$/.test(trimmed)) {
    const letter = trimmed.toUpperCase();
    if (choices && choices.length > 0 && LETTERS.indexOf(letter) >= choices.length) {
      throw new RowError(`\`ideal\` is ${letter} but there are only ${choices.length} choices`, 'ideal');
    }
    return letter;
  }
  const index = choices?.findIndex((choice) => choice.trim() === value.trim()) ?? -1;
  if (index >= 0) return LETTERS[index]!;
  throw new RowError(`\`ideal\` ${JSON.stringify(value)} is neither an option letter nor one of the \`choices\``, 'ideal');
}

/** Choices as a list of texts, from a list or from an object keyed by letter. */
export function toChoices(value: unknown, field = 'choices'): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length > LETTERS.length) throw new RowError(`\`${field}\` has more than ${LETTERS.length} options`, field);
    return value.map((entry, index) => asText(entry, `${field}[${index}]`));
  }
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    if (keys.every((key, index) => key.toUpperCase() === LETTERS[index])) return keys.map((key) => asText(value[key], `${field}.${key}`));
  }
  throw new RowError(`\`${field}\` must be a list of option texts`, field);
}

export function toRecord(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new RowError(`\`${field}\` must be an object, got ${describe(value)}`, field);
  return value;
}

export function toId(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return asText(value, 'id');
}
