/**
 * promptfoo test cases → items. A test has `vars` (substituted into the prompt template) and
 * assertions, either as `assert: [{type, value}]` (YAML) or as `__expected` columns (CSV,
 * `contains: foo`, `regex: ^a`, `is-json`, `llm-rubric: …`, plain text meaning equals).
 * Supported assertion types map onto our graders; a `not-` prefix negates. Several
 * assertions become one `all` item that passes when every assertion passes.
 */
import { isRecord } from '@switchyard/core';
import type { EvalItem, GraderName } from '../item';
import { RowError } from '../report';
import { asText, describe, finishItem, toMessages, type DraftItem } from './common';

export interface Assertion {
  grader: GraderName;
  ideal: string[];
  options: Record<string, unknown>;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const assertionTypes: Record<string, (values: string[], raw: unknown) => Omit<Assertion, 'options'> & { options?: Record<string, unknown> }> = {
  equals: (values) => ({ grader: 'exact', ideal: values }),
  contains: (values) => ({ grader: 'includes', ideal: values }),
  icontains: (values) => ({ grader: 'includes', ideal: values, options: { ignoreCase: true } }),
  'contains-any': (values) => ({ grader: 'includes', ideal: values }),
  'icontains-any': (values) => ({ grader: 'includes', ideal: values, options: { ignoreCase: true } }),
  'starts-with': (values) => ({ grader: 'regex', ideal: values.map((value) => `^\\s*${escapeRegex(value)}`) }),
  regex: (values) => ({ grader: 'regex', ideal: values }),
  'is-json': (_values, raw) => ({ grader: 'json', ideal: [], options: isRecord(raw) ? { schema: raw } : {} }),
  'llm-rubric': (values) => ({ grader: 'llm-judge', ideal: [], options: { rubric: values.join('\n') } }),
};
export const supportedAssertions = [...Object.keys(assertionTypes), 'contains-all', 'icontains-all'];

/** One promptfoo assertion (`{type, value}`) as one or more of ours. */
export function toAssertions(raw: unknown, field: string): Assertion[] {
  if (!isRecord(raw)) throw new RowError(`\`${field}\` must be an object with \`type\``, field);
  const type = raw.type;
  if (typeof type !== 'string') throw new RowError(`\`${field}.type\` is missing`, `${field}.type`);
  const negate = type.startsWith('not-');
  const base = negate ? type.slice(4) : type;
  const rawValue = raw.value;
  const values =
    rawValue === undefined || rawValue === null || isRecord(rawValue)
      ? []
      : Array.isArray(rawValue)
        ? rawValue.map((entry, index) => asText(entry, `${field}.value[${index}]`))
        : [asText(rawValue, `${field}.value`)];
  if (base === 'contains-all' || base === 'icontains-all') {
    const options = base === 'icontains-all' ? { ignoreCase: true } : {};
    const parts = values.map((value) => ({ grader: 'includes' as const, ideal: [value], options }));
    if (!negate) return parts;
    return [{ grader: 'all', ideal: [], options: { assertions: parts, negate: true } }];
  }
  const build = assertionTypes[base];
  if (!build) {
    throw new RowError(`assertion type ${JSON.stringify(type)} is not supported (supported: ${supportedAssertions.join(', ')}, each also with a not- prefix)`, `${field}.type`);
  }
  const built = build(values, rawValue);
  if (built.grader !== 'json' && built.grader !== 'llm-judge' && built.ideal.length === 0) {
    throw new RowError(`\`${field}.value\` is missing for a ${type} assertion`, `${field}.value`);
  }
  const options = { ...built.options, ...(negate ? { negate: true } : {}) };
  return [{ grader: built.grader, ideal: built.ideal, options }];
}

/** promptfoo's `__expected` cell syntax. */
export function expectedCell(cell: string, field: string): Assertion[] {
  const text = cell.trim();
  if (text === '') return [];
  const match = /^(not-)?([a-z][a-z-]*)(?::\s?([\s\S]*))?$/.exec(text);
  const typeName = match?.[2];
  if (match && typeName && (typeName in assertionTypes || typeName === 'grade' || typeName.endsWith('contains-all'))) {
    const type = `${match[1] ?? ''}${typeName === 'grade' ? 'llm-rubric' : typeName}`;
    const value = match[3];
    if (typeName === 'is-json') {
      let schema: unknown;
      if (value?.trim()) {
        try {
          schema = JSON.parse(value);
        } catch {
          throw new RowError(`\`${field}\`: the is-json schema is not valid JSON`, field);
        }
      }
      return toAssertions({ type, value: schema }, field);
    }
    const values = typeName.endsWith('-any') || typeName.endsWith('-all') ? (value ?? '').split(',').map((part) => part.trim()) : value;
    return toAssertions({ type, value: values }, field);
  }
  return [{ grader: 'exact', ideal: [cell], options: {} }];
}

/** Render `{{ name }}` placeholders (the subset of Nunjucks that test prompts use). */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

const promptVarNames = ['prompt', 'question', 'input', 'query', 'text', 'message'];

/** The conversation of a test: the template rendered, else the one prompt-like var, else all vars listed. */
export function promptFromVars(vars: Record<string, string>, template: string | undefined): string {
  if (template) return renderTemplate(template, vars);
  const named = promptVarNames.find((name) => vars[name] !== undefined);
  if (named) return vars[named]!;
  const entries = Object.entries(vars);
  if (entries.length === 1) return entries[0]![1];
  if (entries.length === 0) throw new RowError('the test has no `vars` to build a prompt from', 'vars');
  return entries.map(([key, value]) => `${key}: ${value}`).join('\n');
}

export function varsAsText(raw: unknown, field = 'vars'): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new RowError(`\`${field}\` must be an object, got ${describe(raw)}`, field);
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) vars[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return vars;
}

export interface PromptfooTest {
  vars: Record<string, string>;
  assertions: Assertion[];
  description?: string;
  category?: string;
  id?: string;
  meta?: Record<string, unknown>;
}

/** The item for one test: a single assertion maps directly; several become `all`. */
export function promptfooItem(test: PromptfooTest, template: string | undefined): EvalItem {
  if (test.assertions.length === 0) throw new RowError('the test has no `__expected` value or `assert` list', 'assert');
  const content = promptFromVars(test.vars, template);
  const single = test.assertions.length === 1 ? test.assertions[0]! : undefined;
  const draft: DraftItem = {
    id: test.id,
    input: toMessages(content),
    category: test.category,
    meta: { ...test.meta, vars: test.vars, ...(test.description ? { description: test.description } : {}) },
    ...(single
      ? { grader: single.grader, ideal: single.ideal, graderOptions: single.options }
      : {
          grader: 'all' as const,
          ideal: test.assertions.flatMap((assertion) => (assertion.grader === 'exact' || assertion.grader === 'includes' ? assertion.ideal : [])),
          graderOptions: { assertions: test.assertions },
        }),
  };
  return finishItem(draft, { grader: 'exact' });
}
