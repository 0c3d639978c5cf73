/**
 * The eval items the simulator recognizes: bundled JSONL sets (see datasets/README) and,
 * when a database is given, items uploaded to Switchyard (`dataset_items`, re-read
 * periodically). A prompt is matched by the text of its last message, which survives
 * every wire format's translation (system prompts move around; the final turn does not).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';

const messageSchema = z.looseObject({ role: z.string(), content: z.unknown() });

export const datasetItemSchema = z.looseObject({
  id: z.string(),
  input: z.array(messageSchema).min(1),
  ideal: z.union([z.string(), z.array(z.string())]),
  grader: z.string(),
  category: z.string().default('general'),
  choices: z.array(z.string()).nullish(),
});
export type DatasetItem = z.infer<typeof datasetItemSchema>;

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    let text = '';
    for (const part of content) {
      if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') text += (part as { text: string }).text;
    }
    return text;
  }
  return '';
}

export function normalizePromptKey(text: string): string {
  return text.trim();
}

export class DatasetIndex {
  private readonly byLastText = new Map<string, DatasetItem[]>();
  private databaseItems = new Map<string, DatasetItem[]>();
  size = 0;

  add(item: DatasetItem, target: Map<string, DatasetItem[]> = this.byLastText): void {
    const last = item.input[item.input.length - 1];
    const key = normalizePromptKey(contentText(last?.content));
    if (key.length === 0) return;
    const list = target.get(key);
    if (list) {
      if (!list.some((existing) => existing.id === item.id)) list.push(item);
    } else target.set(key, [item]);
    if (target === this.byLastText) this.size += 1;
  }

  /** Replace the set of items that came from the database. */
  replaceDatabaseItems(items: DatasetItem[]): void {
    const next = new Map<string, DatasetItem[]>();
    for (const item of items) this.add(item, next);
    this.databaseItems = next;
  }

  get databaseSize(): number {
    let count = 0;
    for (const list of this.databaseItems.values()) count += list.length;
    return count;
  }

  /**
   * The item a prompt comes from, if any. `lastText` is the final message's text;
   * `fullText` (all message texts) disambiguates items sharing a final message.
   */
  match(lastText: string, fullText: string): DatasetItem | undefined {
    const key = normalizePromptKey(lastText);
    if (key.length === 0) return undefined;
    const candidates = this.byLastText.get(key) ?? this.databaseItems.get(key);
    if (!candidates || candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0];
    return (
      candidates.find((item) => item.input.every((message) => fullText.includes(contentText(message.content).trim()))) ?? candidates[0]
    );
  }
}

/** Items of every `*.jsonl` file in the given directories (missing directories are skipped). */
export function loadDatasetDirs(dirs: readonly string[]): DatasetItem[] {
  const items: DatasetItem[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.jsonl')) continue;
      const text = readFileSync(join(dir, file), 'utf8');
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const parsed = datasetItemSchema.safeParse(JSON.parse(line));
          if (parsed.success) items.push(parsed.data);
        } catch {
          // A broken line in a user-provided file must not stop the simulator.
        }
      }
    }
  }
  return items;
}

/** Read uploaded items from Switchyard's database; a missing table just means none yet. */
/** Every uploaded item that parses, and how many rows were read (parsing or not). */
export async function loadDatabaseItems(pool: pg.Pool): Promise<{ items: DatasetItem[]; rows: number }> {
  try {
    const result = await pool.query<{ item_id: string; input: unknown; ideal: unknown; grader: string; category: string; choices: unknown }>(
      'select item_id, input, ideal, grader, category, choices from dataset_items',
    );
    const items: DatasetItem[] = [];
    for (const row of result.rows) {
      const parsed = datasetItemSchema.safeParse({ ...row, id: row.item_id });
      if (parsed.success) items.push(parsed.data);
    }
    return { items, rows: result.rows.length };
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return { items: [], rows: 0 };
    throw error;
  }
}

/** How many uploaded items the database holds (a cheap check whether a full read is due). */
export async function countDatabaseItems(pool: pg.Pool): Promise<number> {
  try {
    const result = await pool.query<{ count: string }>('select count(*) as count from dataset_items');
    return Number(result.rows[0]?.count ?? 0);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0;
    throw error;
  }
}

export function createDatabasePool(databaseUrl: string): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max: 2 });
}
