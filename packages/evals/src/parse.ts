/**
 * parseDataset: bytes in, canonical items plus a validation report out.
 *
 * How it works: the source is read once, chunk by chunk. The first 8 KB are sniffed
 * (archives, binaries, UTF-16, emptiness) and decide the format together with the file
 * name. JSONL and CSV are then parsed line by line as they stream; only the resulting
 * items are kept (plus an id → hash map for de-duplication), so a 100 MB upload is never
 * held twice. Bad rows are dropped and reported with their line and field; if too many
 * are bad, or a limit is hit, the whole upload is rejected. The version id is the hash of
 * the kept canonical items, so the same content always gets the same version.
 */
import { formatBytes, isRecord, SwitchyardError } from '@switchyard/core';
import { VersionHasher, itemContentJson, sha256, type DatasetFormat, type EvalItem } from './item';
import { ReportBuilder, RowError, issueText, parseLimitsSchema, type ParseLimits, type ParseLimitsInput, type ValidationReport } from './report';
import { FileTooLargeError, countedChunks, sourceIterator, type DatasetChunk, peek, sniffBinary, splitLines, type DatasetSource, type PhysicalLine } from './reader';
import { categoryAsWritten } from './formats/common';
import { nativeItem, looksLikeOpenAiEvals } from './formats/native';
import { CsvHeaderError, csvRows, detectDelimiter } from './formats/csv';
import { YamlFileError, yamlRows } from './formats/yaml';
import { promptfooItem, toAssertions, varsAsText } from './formats/promptfoo';

export interface ParseOptions {
  /** The uploaded file's name; its extension helps detection. */
  filename?: string;
  limits?: ParseLimitsInput;
}

export interface ParsedDataset {
  items: EvalItem[];
  report: ValidationReport;
  format: DatasetFormat;
  versionId: string;
}

export interface InspectedDataset {
  items: EvalItem[];
  report: ValidationReport;
  format: DatasetFormat | null;
  /** Null when the upload is rejected. */
  versionId: string | null;
}

/** Thrown by parseDataset when an upload must not be stored; carries the full report. */
export class DatasetRejectedError extends SwitchyardError {
  constructor(readonly report: ValidationReport) {
    super(tooLarge(report) ? 'payload_too_large' : 'bad_request', rejectionMessage(report), {
      status: tooLarge(report) ? 413 : 422,
      param: 'file',
    });
    this.name = 'DatasetRejectedError';
  }
}

const tooLarge = (report: ValidationReport) => report.rejectionKind === 'too_large';

/** The rejection reason followed by the first few row errors, for a one-line API error. */
export function rejectionMessage(report: ValidationReport, listed = 5): string {
  const reason = report.rejectionReason ?? 'The upload was rejected';
  const errors = report.errors.slice(0, listed).map(issueText);
  if (errors.length === 0) return reason;
  const more = report.errorCount > errors.length ? `; … ${report.errorCount - errors.length} more` : '';
  return `${reason}. ${errors.join('; ')}${more}`;
}

/**
 * Parse and validate an uploaded dataset. Throws DatasetRejectedError (status 422, or 413
 * for size) when the upload must not be stored; otherwise returns the kept items, the
 * report (which lists dropped rows) and the version id.
 */
export async function parseDataset(source: DatasetSource, options: ParseOptions = {}): Promise<ParsedDataset> {
  const result = await inspectDataset(source, options);
  if (result.report.rejected || result.versionId === null || result.format === null) throw new DatasetRejectedError(result.report);
  return { items: result.items, report: result.report, format: result.format, versionId: result.versionId };
}

type Family = 'jsonl' | 'csv' | 'yaml';

function detectFamily(head: string, filename: string | undefined): Family {
  const extension = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  const jsonlName = extension === 'jsonl' || extension === 'ndjson';
  if (trimmed === '') return jsonlName ? 'jsonl' : 'csv';
  if (trimmed.startsWith('{')) {
    // A first line longer than the sniffed head cannot be pretty-printed JSON.
    if (!trimmed.includes('\n') || jsonlName) return 'jsonl';
    const firstLine = trimmed.split('\n', 1)[0]!.trim();
    try {
      if (isRecord(JSON.parse(firstLine))) return 'jsonl';
    } catch {
      // A first line that is not a whole object: pretty-printed JSON, read as YAML below.
    }
    return 'yaml';
  }
  if (trimmed.startsWith('[')) return 'yaml';
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  if (extension === 'csv' || extension === 'tsv') return 'csv';
  if (/^(- |tests:|prompts:|description:|defaultTest:|providers:)/m.test(trimmed)) return 'yaml';
  return 'csv';
}

/**
 * Like parseDataset, but never throws for a bad upload: a rejected upload comes back with
 * `report.rejected` set (used for dry-run validation).
 */
export async function inspectDataset(source: DatasetSource, options: ParseOptions = {}): Promise<InspectedDataset> {
  const limits: ParseLimits = parseLimitsSchema.parse(options.limits ?? {});
  const builder = new ReportBuilder(limits.maxListedErrors);
  const report = builder.report;
  const items: EvalItem[] = [];
  const seen = new Map<string, { hash: string; line: number }>();
  const version = new VersionHasher();
  // Categories written differently from their stored name: the first line and how many items.
  const renamed = new Map<string, { name: string; line: number; items: number }>();
  const counter = { bytes: 0 };
  // The source is consumed through one iterator that format parsers cannot close early, so
  // whatever they leave unread is drained at the end (an HTTP upload must be read to its end).
  const iterator = sourceIterator(source);
  const unclosable: AsyncIterable<DatasetChunk> = { [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }) };
  const chunks = countedChunks(unclosable, limits.maxFileBytes, counter)[Symbol.asyncIterator]();
  let stopped = false;

  const accept = (line: number, build: () => EvalItem) => {
    if (stopped) return;
    if (report.rows >= limits.maxRows) {
      builder.reject(`The file has more than ${limits.maxRows.toLocaleString('en-US')} rows, the row limit: split it into smaller datasets`);
      stopped = true;
      return;
    }
    report.rows += 1;
    let item: EvalItem;
    try {
      item = build();
    } catch (error) {
      if (error instanceof RowError) return builder.rowError(line, error.message, error.field);
      throw error;
    }
    const content = itemContentJson(item);
    const size = Buffer.byteLength(content) + Buffer.byteLength(item.id);
    if (size > limits.maxItemBytes) {
      return builder.rowError(line, `the item is ${formatBytes(size)}, over the ${formatBytes(limits.maxItemBytes)} item size limit`);
    }
    const hash = sha256(content);
    const previous = seen.get(item.id);
    if (previous) {
      if (previous.hash === hash) {
        report.duplicateRows += 1;
        builder.warn(line, `duplicate of the item on line ${previous.line} (id \`${item.id}\`); dropped`, 'id');
      } else {
        builder.rowError(line, `duplicate id \`${item.id}\` (first used on line ${previous.line}) with different content; ids must be unique`, 'id');
      }
      return;
    }
    seen.set(item.id, { hash, line });
    version.add(item.id, hash);
    items.push(item);
    const written = categoryAsWritten(item);
    if (written !== undefined) {
      const entry = renamed.get(written);
      if (entry) entry.items += 1;
      else renamed.set(written, { name: item.category, line, items: 1 });
    }
  };

  try {
    const { head, rest } = await peek(chunks, 8192);
    const binary = sniffBinary(head);
    if (head.length === 0) builder.reject('The file is empty');
    else if (binary) builder.reject(binary);
    else {
      const family = detectFamily(head.toString('utf8'), options.filename);
      const lines = splitLines(rest, limits.maxLineBytes);
      if (family === 'jsonl') await readJsonl(lines, limits, builder, accept, () => stopped);
      else if (family === 'csv') await readCsv(lines, head, limits, builder, accept, () => stopped);
      else await readYaml(lines, limits, builder, accept);
    }
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      builder.reject(error.message, 'too_large');
      await iterator.return?.();
      return { items: [], report: { ...report, bytes: counter.bytes }, format: report.format, versionId: null };
    }
    throw error;
  }
  // Drain what a parser left unread, still enforcing the size limit.
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    counter.bytes += typeof next.value === 'string' ? Buffer.byteLength(next.value) : next.value.length;
    if (counter.bytes > limits.maxFileBytes) {
      builder.reject(new FileTooLargeError(limits.maxFileBytes).message, 'too_large');
      await iterator.return?.();
      break;
    }
  }
  report.bytes = counter.bytes;
  report.items = items.length;

  if (!report.rejected) {
    if (report.rows === 0) builder.reject('The file has no items (only blank lines, comments or a header)');
    else if (items.length === 0) builder.reject(`None of the ${report.rows} rows is valid`);
    else if (report.invalidRows / report.rows > limits.maxBadRowShare) {
      report.maxBadRowShare = limits.maxBadRowShare;
      const share = ((100 * report.invalidRows) / report.rows).toFixed(1);
      builder.reject(
        `${report.invalidRows} of ${report.rows} rows (${share}%) are invalid, more than the ${+(100 * limits.maxBadRowShare).toFixed(1)}% allowed: fix them and upload again`,
        'bad_row_share',
      );
    }
  }
  if (report.rejected) return { items: [], report: { ...report, items: 0 }, format: report.format, versionId: null };
  for (const item of items) {
    report.categories[item.category] = (report.categories[item.category] ?? 0) + 1;
    report.graders[item.grader] = (report.graders[item.grader] ?? 0) + 1;
  }
  for (const [written, { name, line, items: count }] of renamed) {
    (report.normalizedCategories ??= {})[written] = name;
    const where = count > 1 ? ` (${count} items, the first on this line)` : '';
    builder.warn(line, `category ${JSON.stringify(written)} is stored as "${name}"${where}: category names are lower-case words joined by - or _`, 'category');
  }
  return { items, report, format: report.format ?? 'jsonl', versionId: version.digest() };
}

type Accept = (line: number, build: () => EvalItem) => void;

function physicalProblem(line: PhysicalLine, maxLineBytes: number): string | null {
  if (line.kind === 'too-long') return `the line is ${formatBytes(line.bytes)} long, over the ${formatBytes(maxLineBytes)} line length limit`;
  if (line.kind === 'bad-encoding') return 'the line is not valid UTF-8 (the file may be Latin-1 or Windows-1252): save the file as UTF-8';
  return null;
}

async function readJsonl(
  lines: AsyncIterable<PhysicalLine>,
  limits: ParseLimits,
  builder: ReportBuilder,
  accept: Accept,
  stopped: () => boolean,
): Promise<void> {
  for await (const line of lines) {
    if (stopped()) return;
    if (line.kind === 'text') {
      const text = line.text.trim();
      if (text === '' || text.startsWith('//')) continue;
      accept(line.number, () => {
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch (error) {
          throw new RowError(`not valid JSON (${(error as Error).message})`);
        }
        if (!isRecord(record)) throw new RowError('each line must be a JSON object');
        if (builder.report.format === null) {
          builder.report.format = 'vars' in record || 'assert' in record ? 'promptfoo-jsonl' : looksLikeOpenAiEvals(record) ? 'openai-evals-jsonl' : 'jsonl';
        }
        if (builder.report.format === 'promptfoo-jsonl') {
          const assertList = record.assert ?? [];
          if (!Array.isArray(assertList)) throw new RowError('`assert` must be a list', 'assert');
          return promptfooItem(
            {
              vars: varsAsText(record.vars),
              assertions: assertList.flatMap((raw, index) => toAssertions(raw, `assert[${index}]`)),
              description: typeof record.description === 'string' ? record.description : undefined,
            },
            undefined,
          );
        }
        return nativeItem(record, builder.report.format === 'openai-evals-jsonl' ? 'includes' : 'exact');
      });
    } else {
      accept(line.number, () => {
        throw new RowError(physicalProblem(line, limits.maxLineBytes) ?? 'unreadable line');
      });
    }
  }
  builder.report.format ??= 'jsonl';
}

async function readCsv(
  lines: AsyncGenerator<PhysicalLine>,
  head: Buffer,
  limits: ParseLimits,
  builder: ReportBuilder,
  accept: Accept,
  stopped: () => boolean,
): Promise<void> {
  const firstLine = head.toString('utf8').replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  const textLines = (async function* () {
    for await (const line of lines) {
      const problem = physicalProblem(line, limits.maxLineBytes);
      if (problem) throw new CsvFileError(`line ${line.number}: ${problem}`);
      if (line.kind === 'text') yield line.text;
    }
  })();
  try {
    for await (const row of csvRows(textLines, {
      delimiter: detectDelimiter(firstLine),
      maxRecordBytes: limits.maxItemBytes,
      onFormat: (format) => (builder.report.format = format),
    })) {
      if (stopped()) return;
      accept(row.line, row.build ?? (() => {
        throw new RowError(row.error ?? 'unreadable record');
      }));
    }
  } catch (error) {
    if (error instanceof CsvHeaderError || error instanceof CsvFileError) return builder.reject(error.message);
    if (error instanceof FileTooLargeError) throw error;
    if (isRecord(error) && typeof error.code === 'string' && error.code.startsWith('CSV_')) {
      return builder.reject(`The file is not valid CSV${typeof error.lines === 'number' ? ` (line ${error.lines})` : ''}: ${(error as unknown as Error).message}`);
    }
    throw error;
  }
  builder.report.format ??= 'csv';
}

class CsvFileError extends Error {}

async function readYaml(lines: AsyncIterable<PhysicalLine>, limits: ParseLimits, builder: ReportBuilder, accept: Accept): Promise<void> {
  const parts: string[] = [];
  let size = 0;
  for await (const line of lines) {
    const problem = physicalProblem(line, limits.maxLineBytes);
    if (problem) return builder.reject(`line ${line.number}: ${problem}`);
    if (line.kind !== 'text') continue;
    size += line.text.length + 1;
    if (size > limits.maxYamlBytes) {
      return builder.reject(`The YAML file is larger than ${formatBytes(limits.maxYamlBytes)}, the limit for YAML: convert it to JSONL or split it`, 'too_large');
    }
    parts.push(line.text);
  }
  let rows;
  try {
    rows = yamlRows(parts.join('\n'), (format) => (builder.report.format = format), (message) => builder.warn(0, message));
  } catch (error) {
    if (error instanceof YamlFileError) return builder.reject(error.line > 0 ? `line ${error.line}: ${error.message}` : error.message);
    throw error;
  }
  for (const row of rows) accept(row.line, row.build);
}
