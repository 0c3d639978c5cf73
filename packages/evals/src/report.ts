import { z } from 'zod';
import type { DatasetFormat } from './item';

/** Limits applied while parsing; every one has a default and a clear message when exceeded. */
export const parseLimitsSchema = z.object({
  /** Whole-file size. The API passes its own upload limit here. */
  maxFileBytes: z.number().int().positive().default(100 * 1024 * 1024),
  /** Item rows (lines of JSONL, records of CSV, test cases of YAML). */
  maxRows: z.number().int().positive().default(200_000),
  /** One physical line; longer lines are skipped unread (never buffered whole). */
  maxLineBytes: z.number().int().positive().default(2 * 1024 * 1024),
  /** One canonical item, serialized. */
  maxItemBytes: z.number().int().positive().default(1024 * 1024),
  /** YAML cannot be parsed as a stream, so a YAML file is capped lower. */
  maxYamlBytes: z.number().int().positive().default(20 * 1024 * 1024),
  /** Reject the whole upload when more than this share of rows is invalid. */
  maxBadRowShare: z.number().min(0).max(1).default(0.1),
  /** How many errors (and warnings) the report lists; the counts are always complete. */
  maxListedErrors: z.number().int().positive().default(50),
});
export type ParseLimits = z.infer<typeof parseLimitsSchema>;
export type ParseLimitsInput = z.input<typeof parseLimitsSchema>;

export interface RowIssue {
  /** 1-based line of the row's start in the file; 0 for file-level issues. */
  line: number;
  /** The field at fault, when there is one (`ideal`, `input[1].content`, `__expected`). */
  field?: string;
  /**
   * What is wrong, without the line (clients show `line` next to it, so the line is said
   * once): "`ideal` is missing". `issueText` gives the one-line form "line 14: `ideal` is missing".
   */
  message: string;
}

/** What a user needs to fix an upload: which rows were dropped, why, and what was kept. */
export interface ValidationReport {
  format: DatasetFormat | null;
  bytes: number;
  /** Rows seen (blank lines and comments are not rows). */
  rows: number;
  /** Items kept. */
  items: number;
  /** Rows dropped because they were invalid. */
  invalidRows: number;
  /** Rows dropped because an identical item (same id and content, or same content without id) came earlier. */
  duplicateRows: number;
  /** The first `maxListedErrors` errors, in file order. */
  errors: RowIssue[];
  errorCount: number;
  warnings: RowIssue[];
  warningCount: number;
  categories: Record<string, number>;
  /**
   * Categories the file wrote differently from the name they are stored under, as written →
   * stored ("Math Stuff" → "math-stuff", "MATH" → "math"); each also has a warning. Absent
   * from reports stored before categories were normalized.
   */
  normalizedCategories?: Record<string, string>;
  graders: Record<string, number>;
  /** True when the upload must not be stored; `rejectionReason` says why. */
  rejected: boolean;
  rejectionReason: string | null;
  /**
   * What kind of rejection: `too_large` (over a size limit: a 413), `bad_row_share` (only the
   * share of invalid rows is over `maxBadRowShare`, so storing just the valid rows would work),
   * `invalid` (anything else). Absent from reports stored before it existed.
   */
  rejectionKind?: RejectionKind | null;
  /** With `bad_row_share`: the share of invalid rows the upload was allowed (0.1 = 10 %). */
  maxBadRowShare?: number;
}

export type RejectionKind = 'too_large' | 'bad_row_share' | 'invalid';

export class ReportBuilder {
  readonly report: ValidationReport = {
    format: null,
    bytes: 0,
    rows: 0,
    items: 0,
    invalidRows: 0,
    duplicateRows: 0,
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
    categories: {},
    normalizedCategories: {},
    graders: {},
    rejected: false,
    rejectionReason: null,
    rejectionKind: null,
  };

  constructor(private readonly maxListed: number) {}

  /** Record an invalid row (it is dropped). */
  rowError(line: number, message: string, field?: string): void {
    this.report.invalidRows += 1;
    this.issue('errors', line, message, field);
  }

  warn(line: number, message: string, field?: string): void {
    this.issue('warnings', line, message, field);
  }

  reject(reason: string, kind: RejectionKind = 'invalid'): void {
    if (this.report.rejected) return;
    this.report.rejected = true;
    this.report.rejectionReason = reason;
    this.report.rejectionKind = kind;
  }

  private issue(kind: 'errors' | 'warnings', line: number, message: string, field?: string): void {
    const counter = kind === 'errors' ? 'errorCount' : 'warningCount';
    this.report[counter] += 1;
    if (this.report[kind].length >= this.maxListed) return;
    this.report[kind].push(field === undefined ? { line, message } : { line, field, message });
  }
}

/** An issue as one line of text, for messages that list issues: "line 14: `ideal` is missing". */
export function issueText(issue: RowIssue): string {
  return issue.line > 0 ? `line ${issue.line}: ${issue.message}` : issue.message;
}

/** A row-level problem raised by a format's normalizer; the parser turns it into a report line. */
export class RowError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RowError';
  }
}
