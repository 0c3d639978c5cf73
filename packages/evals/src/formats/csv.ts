/**
 * CSV files: plain (a header naming question/answer columns) or promptfoo (`__expected`
 * columns, every other column a var). Records stream through csv-parse; a malformed record
 * is reported and skipped, not fatal.
 */
import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { DatasetFormat, EvalItem } from '../item';
import { RowError } from '../report';
import { unescapeCsvCell } from '../export';
import { LETTERS, finishItem, toChoices, toGrader, toIdeal, toMessages, toRecord, type DraftItem } from './common';

/** A cell that is a JSON list (as our export writes message lists and several ideals), else the text itself. */
function jsonList(text: string): unknown {
  if (!text.trimStart().startsWith('[')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : text;
  } catch {
    return text;
  }
}

/** A cell holding JSON (empty → undefined); a cell that does not parse is a row error naming the column. */
function jsonCell(text: string, column: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RowError(`\`${column}\` is not valid JSON`, column);
  }
}
import { expectedCell, promptfooItem } from './promptfoo';

export interface CsvRow {
  line: number;
  /** Null when the record could not be read; `error` says why. */
  build: (() => EvalItem) | null;
  error?: string;
}

const inputColumns = ['question', 'prompt', 'input', 'query'];
const idealColumns = ['answer', 'ideal', 'expected', 'target', 'reference'];

/** The delimiter that splits the header line into the most columns. */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const delimiter of [',', ';', '\t', '|']) {
    const count = headerLine.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

export class CsvHeaderError extends Error {}

/** How a plain CSV header maps onto item fields; throws CsvHeaderError naming what is missing. */
function plainColumns(header: string[]) {
  const lower = header.map((name) => name.trim().toLowerCase());
  const find = (names: string[]) => {
    for (const name of names) {
      const index = lower.indexOf(name);
      if (index >= 0) return index;
    }
    return -1;
  };
  const input = find(inputColumns);
  const ideal = find(idealColumns);
  const found = header.map((name) => `\`${name}\``).join(', ') || 'none';
  if (input < 0) throw new CsvHeaderError(`The CSV header has no question column: name one column ${inputColumns.map((name) => `\`${name}\``).join(', ')} (found ${found})`);
  if (ideal < 0) throw new CsvHeaderError(`The CSV header has no answer column: name one column ${idealColumns.map((name) => `\`${name}\``).join(', ')} (found ${found})`);
  const choiceColumns: number[] = [];
  for (const letter of LETTERS.toLowerCase()) {
    const index = lower.findIndex((name) => name === letter || name === `choice_${letter}` || name === `option_${letter}`);
    if (index < 0) break;
    choiceColumns.push(index);
  }
  const named = {
    input,
    ideal,
    id: find(['id']),
    category: find(['category']),
    grader: find(['grader']),
    system: find(['system', 'system_prompt']),
    choices: find(['choices']),
    options: find(['grader_options']),
    meta: find(['meta']),
  };
  const used = new Set([...Object.values(named), ...choiceColumns]);
  const metaColumns = header.map((_, index) => index).filter((index) => !used.has(index));
  return { ...named, choiceColumns, metaColumns };
}

function plainRowBuilder(header: string[]) {
  const columns = plainColumns(header);
  return (cells: string[]): EvalItem => {
    const cell = (index: number) => (index >= 0 ? unescapeCsvCell(cells[index] ?? '') : '');
    const question = cell(columns.input);
    if (question.trim() === '') throw new RowError(`\`${header[columns.input]}\` is empty`, header[columns.input]);
    const answer = cell(columns.ideal);
    if (answer.trim() === '') throw new RowError(`\`${header[columns.ideal]}\` is empty`, header[columns.ideal]);
    const system = cell(columns.system);
    const meta: Record<string, unknown> = { ...toRecord(jsonCell(cell(columns.meta), 'meta'), 'meta') };
    for (const index of columns.metaColumns) if (cells[index]) meta[header[index]!] = cells[index];
    const choiceCells = columns.choiceColumns.map((index) => cell(index)).filter((text) => text !== '');
    const choices = choiceCells.length > 0 ? choiceCells : toChoices(jsonCell(cell(columns.choices), 'choices'));
    // Our own CSV export writes message lists and several ideals as JSON.
    const input = jsonList(question);
    const ideal = jsonList(answer);
    const draft: DraftItem = {
      id: cell(columns.id) || undefined,
      input: [...(system ? toMessages(system).map((message) => ({ ...message, role: 'system' as const })) : []), ...toMessages(input, header[columns.input])],
      ideal: toIdeal(ideal, header[columns.ideal]),
      grader: toGrader(cell(columns.grader)),
      graderOptions: toRecord(jsonCell(cell(columns.options), 'grader_options'), 'grader_options'),
      category: cell(columns.category) || undefined,
      ...(choices && choices.length > 0 ? { choices } : {}),
      meta,
    };
    return finishItem(draft, { grader: 'exact' });
  };
}

function promptfooRowBuilder(header: string[]) {
  return (cells: string[]): EvalItem => {
    const vars: Record<string, string> = {};
    const assertions = [];
    const meta: Record<string, unknown> = {};
    let description: string | undefined;
    let category: string | undefined;
    for (const [index, name] of header.entries()) {
      const value = cells[index] ?? '';
      if (name.startsWith('__expected')) assertions.push(...expectedCell(value, name));
      else if (name === '__description') description = value || undefined;
      else if (name === '__metadata:category' || name === '__category') category = value || undefined;
      else if (name.startsWith('__')) {
        if (value) meta[name.slice(2)] = value;
      } else vars[name] = value;
    }
    return promptfooItem({ vars, assertions, description, category, meta }, undefined);
  };
}

/** Stream CSV rows; the header decides plain vs promptfoo. Throws CsvHeaderError for an unusable header. */
export async function* csvRows(
  lines: AsyncIterable<string>,
  options: { maxRecordBytes: number; delimiter: string; onFormat: (format: DatasetFormat) => void },
): AsyncGenerator<CsvRow> {
  const skipped: CsvRow[] = [];
  const parser = parse({
    delimiter: options.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: options.maxRecordBytes,
    info: true,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === 'number' ? error.lines : 0;
      // The parser's message names the line too; the report gives it once, next to the message.
      const reason = (error?.message ?? 'unknown error').replace(/ (?:at|on) line \d+/g, '');
      skipped.push({ line, build: null, error: `the record could not be read as CSV: ${reason}` });
      return undefined;
    },
  });
  const input = Readable.from(
    (async function* () {
      for await (const line of lines) yield `${line}\n`;
    })(),
  );
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let build: ((cells: string[]) => EvalItem) | undefined;
  let header: string[] = [];
  try {
    yield* records();
  } finally {
    // Stop feeding the parser when the caller stops early (bad header, row limit).
    input.destroy();
    parser.destroy();
  }

  async function* records(): AsyncGenerator<CsvRow> {
    for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = entry.record;
      const newlines = cells.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
      const line = entry.info.lines - newlines;
      // Skipped records are reported in file order among the good ones.
      while (skipped.length > 0 && skipped[0]!.line <= line) yield skipped.shift()!;
      if (!build) {
        header = cells.map((name) => name.trim());
        const promptfoo = header.some((name) => name.startsWith('__expected'));
        options.onFormat(promptfoo ? 'promptfoo-csv' : 'csv');
        build = promptfoo ? promptfooRowBuilder(header) : plainRowBuilder(header);
        continue;
      }
      if (cells.length > header.length && cells.slice(header.length).some((cell) => cell.trim() !== '')) {
        yield { line, build: null, error: `the row has ${cells.length} cells but the header has ${header.length} columns` };
        continue;
      }
      const rowBuild = build;
      yield { line, build: () => rowBuild(cells) };
    }
    while (skipped.length > 0) yield skipped.shift()!;
  }
}
