/**
 * YAML (and JSON-array) files: a list of promptfoo test cases or native items, or a promptfoo
 * config object with `tests` (plus optional `prompts` template and `defaultTest`). YAML has
 * no streaming parser, so these files are read whole, under their own lower size limit.
 */
import { isRecord } from '@switchyard/core';
import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import type { DatasetFormat, EvalItem } from '../item';
import { RowError } from '../report';
import { asText } from './common';
import { nativeItem } from './native';
import { promptfooItem, toAssertions, varsAsText, type Assertion } from './promptfoo';

export class YamlFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface YamlRow {
  line: number;
  build: () => EvalItem;
}

function promptTemplate(prompts: unknown): { template?: string; warning?: string } {
  if (prompts === undefined) return {};
  const list = Array.isArray(prompts) ? prompts : [prompts];
  const first: unknown = list[0];
  const text = typeof first === 'string' ? first : isRecord(first) && typeof first.raw === 'string' ? first.raw : undefined;
  if (text === undefined || text.startsWith('file://')) return { warning: 'the `prompts` entry is not an inline template; items are built from their vars' };
  return { template: text, ...(list.length > 1 ? { warning: `only the first of ${list.length} prompts is used as the template` } : {}) };
}

export function yamlRows(text: string, onFormat: (format: DatasetFormat) => void, warn: (message: string) => void): YamlRow[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0].line ?? 0;
    throw new YamlFileError(`The file is not valid YAML or JSON: ${firstError.message.split('\n')[0]}`, line);
  }
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);
  let testsNode: unknown = document.contents;
  let template: string | undefined;
  let defaults: Assertion[] = [];
  let defaultVars: Record<string, string> = {};
  if (isMap(document.contents)) {
    const config: unknown = document.toJS({ maxAliasCount: 100 });
    if (!isRecord(config) || !('tests' in config)) {
      throw new YamlFileError('The YAML file is a mapping without `tests`: upload a list of test cases, or a promptfoo config with `tests:`', 1);
    }
    if (typeof config.tests === 'string') {
      throw new YamlFileError(`\`tests\` refers to another file (${config.tests}): upload that file instead`, lineOf(document.contents.get('tests', true) as Node));
    }
    const prompt = promptTemplate(config.prompts);
    template = prompt.template;
    if (prompt.warning) warn(prompt.warning);
    if (isRecord(config.defaultTest)) {
      const assertList = config.defaultTest.assert;
      if (Array.isArray(assertList)) defaults = assertList.flatMap((raw, index) => toAssertions(raw, `defaultTest.assert[${index}]`));
      defaultVars = varsAsText(config.defaultTest.vars, 'defaultTest.vars');
    }
    testsNode = document.contents.get('tests', true);
  }
  if (!isSeq(testsNode)) throw new YamlFileError('The file must hold a list of test cases (or items)', lineOf(testsNode as Node));
  let promptfoo = false;
  let native = false;
  const rows = testsNode.items.map((node): YamlRow => {
    const value: unknown = (node as Node & { toJS(doc: unknown): unknown }).toJS(document);
    const isPromptfoo = isRecord(value) && ('vars' in value || 'assert' in value) && !('input' in value);
    if (isPromptfoo) promptfoo = true;
    else native = true;
    return {
      line: lineOf(node as Node),
      build: () => {
        if (!isRecord(value)) throw new RowError('each test case must be an object');
        if (!isPromptfoo) return nativeItem(value, 'exact');
        const assertList = value.assert ?? [];
        if (!Array.isArray(assertList)) throw new RowError('`assert` must be a list', 'assert');
        const metadata = isRecord(value.metadata) ? value.metadata : {};
        return promptfooItem(
          {
            vars: { ...defaultVars, ...varsAsText(value.vars) },
            assertions: [...defaults, ...assertList.flatMap((raw, index) => toAssertions(raw, `assert[${index}]`))],
            description: typeof value.description === 'string' ? value.description : undefined,
            category: metadata.category === undefined || metadata.category === null ? undefined : asText(metadata.category, 'metadata.category'),
            id: value.id === undefined ? undefined : asText(value.id, 'id'),
            meta: Object.keys(metadata).length > 0 ? { metadata } : undefined,
          },
          template,
        );
      },
    };
  });
  onFormat(promptfoo || !native ? 'promptfoo-yaml' : 'yaml');
  return rows;
}
