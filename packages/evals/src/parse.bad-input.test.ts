import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { escapeCsvCell, itemToCsvRow } from './export';
import { categorySchema } from '@switchyard/core';
import { DatasetRejectedError, inspectDataset, parseDataset } from './parse';
import { issueText } from './report';

async function* chunks(data: Buffer | string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
const line = (record: Record<string, unknown>) => JSON.stringify(record);
const good = (index: number) => line({ id: `q${index}`, input: `Question ${index}?`, ideal: `A${index}` });

/** A minimal real zip archive holding one file. */
function zipOf(name: string, content: string): Buffer {
  const data = deflateRawSync(Buffer.from(content));
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), data]);
}

async function rejected(source: AsyncIterable<Buffer>, filename?: string, limits?: Record<string, number>) {
  const result = await inspectDataset(source, { filename, limits });
  expect(result.report.rejected).toBe(true);
  expect(result.items).toEqual([]);
  expect(result.versionId).toBeNull();
  return result.report;
}

describe('files that are not datasets', () => {
  it('binary file', async () => {
    const report = await rejected(chunks(Buffer.from([0x7b, 0x22, 0x00, 0x01, 0x02, 0xff, 0x10, 0x00])), 'data.jsonl');
    expect(report.rejectionReason).toMatch(/binary \(it contains a NUL byte at offset 2\)/);
  });
  it('a zip file renamed .jsonl', async () => {
    const report = await rejected(chunks(zipOf('items.jsonl', `${good(1)}\n`)), 'items.jsonl');
    expect(report.rejectionReason).toMatch(/zip archive.*extract it/);
  });
  it('gzip and PDF', async () => {
    expect((await rejected(chunks(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]))))?.rejectionReason).toContain('gzip');
    expect((await rejected(chunks('%PDF-1.7\n...')))?.rejectionReason).toContain('PDF');
  });
  it('empty file, and a file of blank lines', async () => {
    expect((await rejected(chunks(''), 'x.jsonl')).rejectionReason).toBe('The file is empty');
    expect((await rejected(chunks('\n\n  \n'), 'x.jsonl')).rejectionReason).toMatch(/no items/);
    expect((await rejected(chunks('question,answer\n'), 'x.csv')).rejectionReason).toMatch(/no items/);
  });
  it('wrong encoding: UTF-16 with BOM', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${good(1)}\n`, 'utf16le')]);
    expect((await rejected(chunks(utf16))).rejectionReason).toMatch(/UTF-16: save it as UTF-8/);
  });
  it('wrong encoding: Latin-1 bytes are reported with their line', async () => {
    const latin1 = Buffer.from(`${good(1)}\n${line({ id: 'q2', input: 'Café ?', ideal: 'oui' })}\n${good(3)}\n`, 'latin1');
    const result = await inspectDataset(chunks(latin1), { limits: { maxBadRowShare: 0.5 } });
    expect(result.report.rejected).toBe(false);
    expect(result.items.map((item) => item.id)).toEqual(['q1', 'q3']);
    expect(result.report.errors).toEqual([
      { line: 2, message: 'the line is not valid UTF-8 (the file may be Latin-1 or Windows-1252): save the file as UTF-8' },
    ]);
    const csv = await rejected(chunks(Buffer.from('question,answer\nCafé?,oui\n', 'latin1')), 'x.csv');
    expect(csv.rejectionReason).toMatch(/^line 2: the line is not valid UTF-8/);
  });
  it('a UTF-8 byte-order mark is accepted', async () => {
    const parsed = await parseDataset(chunks(`\uFEFF${good(1)}\n`));
    expect(parsed.items[0]!.id).toBe('q1');
    const csv = await parseDataset(chunks('\uFEFFquestion,answer\nWhy?,Because\n'), { filename: 'x.csv' });
    expect(csv.items[0]!.ideal).toEqual(['Because']);
  });
});

describe('limits', { timeout: 30_000 }, () => {
  it('a 10 MB single line is skipped unread and reported with its length', async () => {
    const huge = `{"id": "big", "input": "${'x'.repeat(10 * 1024 * 1024)}", "ideal": "y"}`;
    const report = await rejected(chunks(huge));
    expect(report.errors[0]!.message).toBe('the line is 10 MB long, over the 2 MB line length limit');
    expect(report.rejectionReason).toBe('None of the 1 rows is valid');
    expect(report.rejectionKind).toBe('invalid');
    // Among good lines, the long line is just one bad row.
    const mixed = await inspectDataset(chunks([...Array.from({ length: 20 }, (_, index) => good(index)), huge].join('\n')));
    expect(mixed.items).toHaveLength(20);
    expect(mixed.report.errors[0]!.line).toBe(21);
  });
  it('file size', async () => {
    const report = await rejected(chunks(Array.from({ length: 100 }, (_, index) => good(index)).join('\n'), 100), undefined, { maxFileBytes: 1000 });
    expect(report.rejectionReason).toBe('The file is larger than the 1000 bytes limit');
    expect(report.rejectionKind).toBe('too_large');
    await expect(parseDataset(chunks('x'.repeat(2000)), { limits: { maxFileBytes: 1000 } })).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
  });
  it('row count', async () => {
    const report = await rejected(chunks(Array.from({ length: 11 }, (_, index) => good(index)).join('\n')), undefined, { maxRows: 10 });
    expect(report.rejectionReason).toMatch(/more than 10 rows, the row limit/);
  });
  it('item size', async () => {
    const result = await inspectDataset(chunks([good(1), line({ id: 'big', input: 'y'.repeat(5000), ideal: 'z' })].join('\n')), {
      limits: { maxItemBytes: 2000, maxBadRowShare: 0.5 },
    });
    expect(result.report.errors[0]!.message).toMatch(/^the item is [\d.]+ KB, over the 2 KB item size limit$/);
  });
});

describe('row validation', () => {
  it('mixed valid and invalid rows: good rows kept, each bad row named by line and field', async () => {
    const rows = [
      good(1),
      line({ id: 'no-ideal', input: 'Where?' }),
      '{"id": "broken", "input": ',
      good(4),
      line({ id: 'bad-role', input: [{ role: 'robot', content: 'hi' }], ideal: 'x' }),
      line({ id: 'bad-grader', input: 'hi', ideal: 'x', grader: 'fuzzy' }),
      line({ id: 'nan', input: 'hi', ideal: 'many', grader: 'numeric' }),
      line({ id: 'letter', input: 'hi', ideal: 'E', choices: ['a', 'b'] }),
      '[1, 2]',
      '',
      ...Array.from({ length: 72 }, (_, index) => good(index + 10)),
    ];
    const result = await inspectDataset(chunks(rows.join('\n')));
    expect(result.report.rejected).toBe(false);
    expect(result.report.rows).toBe(81);
    expect(result.report.invalidRows).toBe(7);
    expect(result.items).toHaveLength(74);
    expect(result.report.errors.map((issue) => [issue.line, issue.message, issue.field])).toEqual([
      [2, '`ideal` is missing', 'ideal'],
      [3, expect.stringMatching(/^not valid JSON \(/), undefined],
      [5, '`input[0].role` must be one of system, developer, user, assistant (got "robot")', 'input[0].role'],
      [6, '`grader` "fuzzy" is not a grader (use one of exact, includes, regex, choice, numeric, json, llm-judge, all)', 'grader'],
      [7, '`ideal` "many" is not a number', 'ideal'],
      [8, '`ideal` is E but there are only 2 choices', 'ideal'],
      [9, 'each line must be a JSON object', undefined],
    ]);
  });
  it('an upload over the bad-row share is rejected whole, with the first errors', async () => {
    const rows = [good(1), good(2), line({ input: 'x' }), line({ input: 'y' })];
    const error = await parseDataset(chunks(rows.join('\n'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetRejectedError);
    const rejection = error as DatasetRejectedError;
    expect(rejection.status).toBe(422);
    expect(rejection.message).toBe('2 of 4 rows (50.0%) are invalid, more than the 10% allowed: fix them and upload again. line 3: `ideal` is missing; line 4: `ideal` is missing');
    expect(rejection.report.errorCount).toBe(2);
    expect(rejection.report).toMatchObject({ rejectionKind: 'bad_row_share', maxBadRowShare: 0.1 });
    const lenient = await parseDataset(chunks(rows.join('\n')), { limits: { maxBadRowShare: 0.5 } });
    expect(lenient.items).toHaveLength(2);
  });
  it('lists the first 50 errors but counts all of them', async () => {
    const rows = [...Array.from({ length: 1000 }, (_, index) => good(index)), ...Array.from({ length: 80 }, () => '{')];
    const result = await inspectDataset(chunks(rows.join('\n')));
    expect(result.report.errorCount).toBe(80);
    expect(result.report.errors).toHaveLength(50);
    expect(result.report.errors[0]!.line).toBe(1001);
  });
  it('duplicate ids: identical rows dropped with a warning, conflicting ones are errors', async () => {
    const rows = [good(1), good(2), good(1), line({ id: 'q2', input: 'Other?', ideal: 'B' }), line({ input: 'same', ideal: 'x' }), line({ input: 'same', ideal: 'x' })];
    const result = await inspectDataset(chunks(rows.join('\n')), { limits: { maxBadRowShare: 0.5 } });
    expect(result.items.map((item) => item.id)).toEqual(['q1', 'q2', expect.stringMatching(/^item-/)]);
    expect(result.report.duplicateRows).toBe(2);
    expect(result.report.warnings.map((issue) => [issue.line, issue.message])).toEqual([
      [3, 'duplicate of the item on line 1 (id `q1`); dropped'],
      [6, expect.stringMatching(/^duplicate of the item on line 5/)],
    ]);
    expect(result.report.errors.map((issue) => [issue.line, issue.message])).toEqual([[4, 'duplicate id `q2` (first used on line 2) with different content; ids must be unique']]);
  });
  it('CSV missing columns are named, with what was found', async () => {
    const report = await rejected(chunks('question,category\nWhy?,misc\n'), 'x.csv');
    expect(report.rejectionReason).toBe(
      'The CSV header has no answer column: name one column `answer`, `ideal`, `expected`, `target`, `reference` (found `question`, `category`)',
    );
    const noQuestion = await rejected(chunks('foo,answer\nx,y\n'), 'x.csv');
    expect(noQuestion.rejectionReason).toMatch(/no question column/);
  });
  it('CSV rows: ragged, empty cells and broken quotes are row errors with lines', async () => {
    const csv = ['question,answer', 'Q1,A1', 'Q2,', 'Q3,A3,extra', ...Array.from({ length: 30 }, (_, index) => `Q${index + 10},A`)].join('\n');
    const result = await inspectDataset(chunks(csv), { filename: 'x.csv' });
    expect(result.report.errors.map((issue) => [issue.line, issue.message])).toEqual([
      [3, '`answer` is empty'],
      [4, 'the row has 3 cells but the header has 2 columns'],
    ]);
    expect(result.items[0]!.ideal).toEqual(['A1']);
    expect(result.items).toHaveLength(31);
    // An unterminated quote swallows the rest of the file, as in any CSV reader; the report says so.
    const broken = await inspectDataset(chunks('question,answer\nQ1,A1\nQ2,"unterminated\nQ3,A3\n'), { filename: 'x.csv', limits: { maxBadRowShare: 0.5 } });
    expect(broken.report.errors[0]!.message).toMatch(/could not be read as CSV: Quote Not Closed/);
    // The parser's own "at line N" is dropped: the issue's line says it.
    expect(broken.report.errors[0]).toMatchObject({ line: expect.any(Number), message: expect.not.stringMatching(/line/) });
  });
  it('promptfoo: unsupported assertion types are named', async () => {
    const yaml = '- vars: {question: hi}\n  assert:\n    - type: javascript\n      value: output.length > 3\n';
    const report = await rejected(chunks(yaml), 'tests.yaml');
    expect(report.errors[0]!.message).toMatch(/^assertion type "javascript" is not supported \(supported: equals, contains/);
    expect(report.errors[0]!.field).toBe('assert[0].type');
  });
  it('invalid YAML is reported with its line', async () => {
    const report = await rejected(chunks('- vars:\n    question: [unclosed\n- x: 1\n'), 'tests.yaml');
    expect(report.rejectionReason).toMatch(/^line \d+: The file is not valid YAML or JSON/);
  });
});

describe('content is data, never code', () => {
  const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  it('keeps HTML in item text verbatim', async () => {
    const parsed = await parseDataset(chunks(line({ id: 'xss', input: script, ideal: script, meta: { note: script } })));
    expect(parsed.items[0]!.input[0]!.content).toBe(script);
    expect(parsed.items[0]!.ideal).toEqual([script]);
  });
  it('formula-injection cells are stored as text and neutralized on CSV export', async () => {
    const csv = 'question,answer\n"=HYPERLINK(""http://evil.example"",""click"")",+1+1\n@SUM(A1:A9),-5\n"\tcmd",ok\n';
    const parsed = await parseDataset(chunks(csv), { filename: 'x.csv' });
    expect(parsed.items.map((item) => [item.input[0]!.content, item.ideal[0]])).toEqual([
      ['=HYPERLINK("http://evil.example","click")', '+1+1'],
      ['@SUM(A1:A9)', '-5'],
      ['\tcmd', 'ok'],
    ]);
    const row = itemToCsvRow(parsed.items[0]!);
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(row).toContain(",'+1+1,");
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(escapeCsvCell(`${start}x`).replace(/^"/, '')).toMatch(/^'/);
    expect(escapeCsvCell('plain')).toBe('plain');
    expect(escapeCsvCell('a,b')).toBe('"a,b"');
  });
});

describe('each issue says its line once', () => {
  it('the message leaves the line to `line`; the one-line forms (issueText, the rejection message) say it once', async () => {
    const rows = [good(1), good(2), good(3), line({ id: 'q4', input: 'x', ideal: '1', grader: 'fuzzy' })];
    const result = await inspectDataset(chunks(rows.join('\n')), { limits: { maxBadRowShare: 0 } });
    const [issue] = result.report.errors;
    expect(issue).toEqual({ line: 4, field: 'grader', message: expect.stringMatching(/^`grader` "fuzzy" is not a grader/) });
    expect(issueText(issue!)).toMatch(/^line 4: `grader` "fuzzy"/);
    expect(issueText({ line: 0, message: 'file-level' })).toBe('file-level');
    const rejection: unknown = await parseDataset(chunks(rows.join('\n')), { limits: { maxBadRowShare: 0 } }).catch((caught: unknown) => caught);
    expect(rejection).toBeInstanceOf(DatasetRejectedError);
    expect((rejection as DatasetRejectedError).message.match(/line 4/g)).toHaveLength(1);
  });
});

describe('categories', () => {
  const categorized = (category: unknown, index: number) => line({ id: `c${index}`, input: `Question ${index}?`, ideal: 'A', category });

  it('are stored as names the router accepts, and the report says which were renamed', async () => {
    const rows = [categorized('Math Stuff', 1), categorized('MATH', 2), categorized('math', 3), categorized('Math Stuff', 4), categorized(' Code Review ', 5), categorized(7, 6), good(7)];
    const result = await inspectDataset(chunks(rows.join('\n')));
    expect(result.report.errorCount).toBe(0);
    expect(result.items.map((item) => item.category)).toEqual(['math-stuff', 'math', 'math', 'math-stuff', 'code-review', '7', 'general']);
    for (const item of result.items) expect(categorySchema.safeParse(item.category).success).toBe(true);
    expect(result.report.categories).toEqual({ 'math-stuff': 2, math: 2, 'code-review': 1, '7': 1, general: 1 });
    expect(result.report.normalizedCategories).toEqual({ 'Math Stuff': 'math-stuff', MATH: 'math', ' Code Review ': 'code-review' });
    expect(result.report.warnings.map((issue) => [issue.line, issue.field, issue.message])).toEqual([
      [1, 'category', 'category "Math Stuff" is stored as "math-stuff" (2 items, the first on this line): category names are lower-case words joined by - or _'],
      [2, 'category', 'category "MATH" is stored as "math": category names are lower-case words joined by - or _'],
      [5, 'category', 'category " Code Review " is stored as "code-review": category names are lower-case words joined by - or _'],
    ]);
  });

  it('items that differ only in how their category is written are the same content', async () => {
    const written = await parseDataset(chunks(line({ input: 'Same?', ideal: 'A', category: 'Math Stuff' })));
    const named = await parseDataset(chunks(line({ input: 'Same?', ideal: 'A', category: 'math-stuff' })));
    expect(written.items[0]!.id).toBe(named.items[0]!.id);
    expect(written.versionId).toBe(named.versionId);
  });

  it('that cannot be made a name are row errors naming the line and the field', async () => {
    const rows = [good(1), categorized('!!!', 2), categorized('', 3), categorized('数学', 4), categorized('x'.repeat(65), 5), categorized({ name: 'math' }, 6), good(7)];
    const result = await inspectDataset(chunks(rows.join('\n')), { limits: { maxBadRowShare: 1 } });
    expect(result.items.map((item) => item.id)).toEqual(['q1', 'q7']);
    expect(result.report.errors.map((issue) => [issue.line, issue.field, issue.message])).toEqual([
      [2, 'category', expect.stringMatching(/^`category` "!!!" cannot be made a category name: use letters a-z and digits/)],
      [3, 'category', '`category` is empty: leave it out (the item is then "general") or name one, like "math"'],
      [4, 'category', expect.stringMatching(/^`category` "数学" cannot be made a category name/)],
      [5, 'category', `\`category\` "${'x'.repeat(65)}" is longer than 64 characters, the limit for a category name`],
      [6, 'category', '`category` must be text, got an object'],
    ]);
  });

  it('are normalized the same way in CSV and promptfoo YAML', async () => {
    const csv = await parseDataset(chunks('question,answer,category\nQ1,A1,Math Stuff\nQ2,A2,\n'), { filename: 'x.csv' });
    expect(csv.items.map((item) => item.category)).toEqual(['math-stuff', 'general']);
    expect(csv.report.normalizedCategories).toEqual({ 'Math Stuff': 'math-stuff' });
    const yaml = '- vars: {question: hi}\n  metadata: {category: Word Play}\n  assert:\n    - type: equals\n      value: ho\n';
    const promptfoo = await parseDataset(chunks(yaml), { filename: 'tests.yaml' });
    expect(promptfoo.items[0]!.category).toBe('word-play');
    expect(promptfoo.report.warnings[0]).toMatchObject({ line: 1, field: 'category' });
  });
});
