/**
 * Writing items back out: native JSONL (lossless) and CSV for spreadsheets. CSV cells that
 * a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are prefixed
 * with a single quote (OWASP "CSV injection"); the plain-CSV parser strips that prefix
 * again, so an exported file re-imports to the same items.
 */
import type { EvalItem } from './item';

/** One native JSONL line (no trailing newline). */
export function itemToJsonl(item: EvalItem): string {
  return JSON.stringify({
    id: item.id,
    input: item.input,
    ideal: item.ideal,
    grader: item.grader,
    ...(Object.keys(item.graderOptions).length > 0 ? { grader_options: item.graderOptions } : {}),
    category: item.category,
    ...(item.choices ? { choices: item.choices } : {}),
    ...(item.meta ? { meta: item.meta } : {}),
  });
}

export const csvColumns = ['id', 'category', 'grader', 'input', 'ideal', 'choices', 'grader_options', 'meta'] as const;

const formulaStart = /^[=+\-@\t\r]/;

/** Neutralize a formula-looking cell, then quote it per RFC 4180 when needed. */
export function escapeCsvCell(value: string): string {
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Undo escapeCsvCell's formula prefix (quoting is undone by the CSV parser). */
export function unescapeCsvCell(value: string): string {
  return value.length > 1 && value[0] === "'" && formulaStart.test(value.slice(1)) ? value.slice(1) : value;
}

export function csvHeaderLine(): string {
  return csvColumns.join(',');
}

/**
 * One CSV row (no trailing newline). A single user message is written as its text; other
 * inputs, several ideals, choices, options and meta as JSON.
 */
export function itemToCsvRow(item: EvalItem): string {
  const single = item.input.length === 1 && item.input[0]!.role === 'user' && !item.input[0]!.content.trimStart().startsWith('[');
  const cells = [
    item.id,
    item.category,
    item.grader,
    single ? item.input[0]!.content : JSON.stringify(item.input),
    item.ideal.length === 1 && !item.ideal[0]!.startsWith('[') ? item.ideal[0]! : JSON.stringify(item.ideal),
    item.choices ? JSON.stringify(item.choices) : '',
    Object.keys(item.graderOptions).length > 0 ? JSON.stringify(item.graderOptions) : '',
    item.meta ? JSON.stringify(item.meta) : '',
  ];
  return cells.map(escapeCsvCell).join(',');
}
