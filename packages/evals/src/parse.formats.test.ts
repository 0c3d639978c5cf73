import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { csvHeaderLine, itemToCsvRow, itemToJsonl } from './export';
import { grade } from './graders/index';
import { parseDataset } from './parse';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const bundledDir = join(here, '../../../datasets');
const fixture = (name: string) => parseDataset(createReadStream(join(fixtures, name)), { filename: name });

/** The text as a stream of small Buffers: lines and multi-byte characters straddle chunk boundaries. */
async function* chunked(text: string, chunkSize = 7): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
}

describe('bundled datasets round-trip', { timeout: 30_000 }, () => {
  const files = readdirSync(bundledDir).filter((name) => name.endsWith('.jsonl'));
  it('finds the six bundled sets', () => expect(files).toHaveLength(6));

  it.each(files)('%s parses cleanly and survives JSONL and CSV export', async (name) => {
    const source = readFileSync(join(bundledDir, name), 'utf8');
    const lines = source.split('\n').filter((line) => line.trim() !== '');
    const parsed = await parseDataset(createReadStream(join(bundledDir, name)), { filename: name });
    expect(parsed.format).toBe('jsonl');
    expect(parsed.report).toMatchObject({ rows: lines.length, items: lines.length, errorCount: 0, invalidRows: 0, rejected: false });
    // Items keep exactly what the file says.
    const first = JSON.parse(lines[0]!) as { id: string; ideal: string | string[]; grader: string; category: string };
    expect(parsed.items[0]).toMatchObject({ id: first.id, grader: first.grader, category: first.category });
    expect(parsed.items[0]!.ideal).toEqual(Array.isArray(first.ideal) ? first.ideal : [first.ideal]);

    const jsonl = parsed.items.map(itemToJsonl).join('\n');
    const again = await parseDataset(chunked(jsonl, 1021), { filename: 'export.jsonl' });
    expect(again.versionId).toBe(parsed.versionId);
    expect(again.items).toEqual(parsed.items);

    const csv = [csvHeaderLine(), ...parsed.items.map(itemToCsvRow)].join('\r\n');
    const fromCsv = await parseDataset(chunked(csv, 1021), { filename: 'export.csv' });
    expect(fromCsv.format).toBe('csv');
    expect(fromCsv.items).toEqual(parsed.items);
    expect(fromCsv.versionId).toBe(parsed.versionId);
  });

  it('tiny chunks: lines and multi-byte characters split across chunks parse the same', async () => {
    const text = readFileSync(join(bundledDir, 'openai_evals_chinese_homophonic.jsonl'), 'utf8');
    const whole = await parseDataset(text);
    const tiny = await parseDataset(chunked(text, 7));
    expect(tiny.items).toEqual(whole.items);
    expect(tiny.items[0]!.input[1]!.content).toContain('小鸭');
  });

  it('the same file always gets the same version id', async () => {
    const name = 'gsm8k_test.jsonl';
    const one = await parseDataset(createReadStream(join(bundledDir, name)));
    const two = await parseDataset(chunked(readFileSync(join(bundledDir, name), 'utf8'), 4096));
    expect(two.versionId).toBe(one.versionId);
    expect(one.versionId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the reference answers grade as correct with their own graders', async () => {
    for (const name of files) {
      const parsed = await parseDataset(createReadStream(join(bundledDir, name)));
      for (const item of parsed.items.slice(0, 20)) {
        const answer = item.grader === 'numeric' ? `Let me compute.\nAnswer: ${item.ideal[0]}` : item.grader === 'choice' ? `The answer is (${item.ideal[0]}).` : item.ideal[0]!;
        expect((await grade(item, answer)).score, `${item.id}`).toBe(1);
      }
    }
  });
});

describe('foreign formats', () => {
  it('promptfoo CSV: vars, __expected syntax, descriptions, categories, multi-line cells', async () => {
    const parsed = await fixture('promptfoo-tests.csv');
    expect(parsed.format).toBe('promptfoo-csv');
    expect(parsed.report.errorCount).toBe(0);
    const [capital, json, negated, haiku, equals, regex] = parsed.items;
    expect(capital).toMatchObject({ grader: 'includes', ideal: ['Paris'], category: 'geography', input: [{ role: 'user', content: 'What is the capital of France?' }] });
    expect(capital!.meta).toMatchObject({ description: 'capital city' });
    expect(json).toMatchObject({ grader: 'json', graderOptions: { schema: { type: 'object', required: ['name', 'age'] } } });
    expect(negated).toMatchObject({ grader: 'includes', ideal: ['yes'], graderOptions: { ignoreCase: true, negate: true } });
    expect(haiku).toMatchObject({ grader: 'llm-judge', graderOptions: { rubric: 'Is a haiku (5-7-5 syllables) about autumn' } });
    expect(haiku!.input[0]!.content).toBe('Write a haiku about\nautumn leaves');
    expect(equals).toMatchObject({ grader: 'exact', ideal: ['4'], category: 'math' });
    expect(regex).toMatchObject({ grader: 'regex', ideal: ['^\\s*tac\\b'] });
    expect((await grade(negated!, 'No, it is blue.')).score).toBe(1);
    expect((await grade(negated!, 'YES')).score).toBe(0);
  });

  it('promptfoo YAML config: template rendering, defaultTest merged, several asserts become `all`', async () => {
    const parsed = await fixture('promptfoo-config.yaml');
    expect(parsed.format).toBe('promptfoo-yaml');
    expect(parsed.report.errorCount).toBe(0);
    expect(parsed.items).toHaveLength(3);
    const [french, german, spanish] = parsed.items;
    expect(french!.input).toEqual([{ role: 'user', content: 'Translate the following text to French: Hello world' }]);
    expect(french!.grader).toBe('all');
    expect((await grade(french!, 'Bonjour le monde')).score).toBe(1);
    expect((await grade(french!, 'As an AI, I say bonjour')).score).toBe(0.5);
    expect(german!.category).toBe('language');
    expect((await grade(german!, 'Guten Morgen')).score).toBe(1);
    expect(spanish!.graderOptions.assertions).toHaveLength(3);
    expect(spanish!.meta).toMatchObject({ vars: { language: 'Spanish', input: 'Thank you' } });
  });

  it('promptfoo YAML list of tests', async () => {
    const parsed = await fixture('promptfoo-tests.yaml');
    expect(parsed.format).toBe('promptfoo-yaml');
    expect(parsed.items.map((item) => item.grader)).toEqual(['includes', 'regex', 'json']);
    expect(parsed.items[0]!.input[0]!.content).toBe('What is 12 * 12?');
    expect((await grade(parsed.items[2]!, '{"ok": true}')).score).toBe(1);
    expect((await grade(parsed.items[2]!, '{"fine": true}')).score).toBe(0);
  });

  it('OpenAI evals JSONL: messages, text parts, list ideals, includes by default', async () => {
    const parsed = await fixture('openai-evals-samples.jsonl');
    expect(parsed.format).toBe('openai-evals-jsonl');
    expect(parsed.items.map((item) => item.grader)).toEqual(['includes', 'includes', 'includes']);
    expect(parsed.items[1]!.ideal).toEqual(['8', 'eight']);
    expect(parsed.items[2]!.input).toEqual([{ role: 'user', content: 'Which planet is known as the Red Planet?' }]);
    expect(parsed.items[0]!.id).toMatch(/^item-[0-9a-f]{16}$/);
    expect((await grade(parsed.items[0]!, 'The symbol is Au.')).score).toBe(1);
  });

  it('plain CSV with option columns and extra columns kept in meta', async () => {
    const parsed = await fixture('plain-questions.csv');
    expect(parsed.format).toBe('csv');
    expect(parsed.items[0]).toMatchObject({
      id: 'mmlu-1',
      grader: 'choice',
      ideal: ['B'],
      category: 'science',
      choices: ['Oxygen', 'Nitrogen', 'Carbon dioxide', 'Argon'],
      meta: { source: 'hand-written' },
    });
  });

  it('plain TSV with prompt/expected columns', async () => {
    const parsed = await fixture('plain-simple.tsv');
    expect(parsed.items.map((item) => [item.input[0]!.content, item.ideal[0], item.category])).toEqual([
      ['How many days are in a leap year?', '366', 'math'],
      ['What is the boiling point of water in Celsius at sea level?', '100', 'science'],
    ]);
  });

  it('native JSONL: string input, numeric ideal, choice text → letter, json and llm-judge without ideal', async () => {
    const parsed = await fixture('native-mixed.jsonl');
    expect(parsed.format).toBe('jsonl');
    expect(parsed.report.graders).toEqual({ numeric: 1, exact: 1, choice: 1, json: 1, 'llm-judge': 1 });
    expect(parsed.items[0]).toMatchObject({ ideal: ['42'], input: [{ role: 'user', content: 'What is 7 * 6?' }] });
    expect(parsed.items[2]).toMatchObject({ grader: 'choice', ideal: ['B'], meta: { difficulty: 'easy' } });
    expect(parsed.items[3]).toMatchObject({ grader: 'json', ideal: [], category: 'general' });
    expect(parsed.report.categories).toMatchObject({ math: 1, geography: 1, general: 1 });
  });
});
