/**
 * What a simulated model says. For a recognized eval item: the right answer with
 * probability = the model's skill for the item's category (a hash of model, item and seed
 * decides, so runs are reproducible), otherwise a plausible wrong answer in the same form —
 * "Answer: <number>" last line for numeric items, a bare letter for choices, a bare literal
 * for exact match. Other prompts get fluent filler of a realistic length; tools and JSON
 * mode get schema-shaped arguments and valid JSON.
 */
import { seededRandom } from '@switchyard/core';
import { skillFor, type FleetModel } from '@switchyard/providers';
import type { DatasetItem } from './datasets';
import { lognormal, unitHash } from './random';

/** A request as the simulator sees it, whatever the wire format. */
export interface SimRequest {
  model: string;
  /** Texts of every message, in order (system included). */
  texts: string[];
  lastText: string;
  lastIsToolResult: boolean;
  tools: Array<{ name: string; parameters: Record<string, unknown> | undefined }>;
  toolChoice: 'auto' | 'none' | 'required' | { name: string };
  jsonMode: boolean;
  jsonSchema: Record<string, unknown> | undefined;
  maxTokens: number | undefined;
  stop: string[];
  stream: boolean;
  /** OpenAI `stream_options.include_usage`; the other formats always report usage. */
  includeUsage: boolean;
  /**
   * How many choices to return (OpenAI `n`, Gemini `candidateCount`; Anthropic has none). The
   * simulator draws one outcome per request and answers every choice with it, billing each.
   */
  choices: number;
}

export interface SimToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface SimOutcome {
  text: string;
  toolCalls: SimToolCall[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  promptTokens: number;
  completionTokens: number;
  /** The eval item recognized, if any (for logs and tests). */
  itemId?: string;
  correct?: boolean;
}

/** ~4 characters per token: cheap, and close enough for a simulator's usage numbers. */
export const CHARS_PER_TOKEN = 4;

export function approximateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

export function isCorrect(modelName: string, itemId: string, seed: number, skill: number): boolean {
  return unitHash(modelName, itemId, seed) < skill;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function ideals(item: DatasetItem): string[] {
  return Array.isArray(item.ideal) ? item.ideal : [item.ideal];
}

function choiceLetters(item: DatasetItem, prompt: string): string[] {
  if (item.choices && item.choices.length > 1) return LETTERS.slice(0, item.choices.length).split('');
  const found = new Set<string>();
  for (const match of prompt.matchAll(/^\s*\(?([A-Z])[.)]\s/gm)) if (match[1]) found.add(match[1]);
  return found.size > 1 ? [...found] : ['A', 'B', 'C', 'D'];
}

function wrongNumber(ideal: string, pick: number): string {
  const value = Number(ideal.replace(/[,$]/g, ''));
  if (!Number.isFinite(value)) return `${ideal}1`;
  const integer = Number.isInteger(value);
  const candidates = integer
    ? [value + 1, value - 1, value * 2, Math.round(value / 2), value + 10, value - 10, value + 5, value * 10]
    : [value * 1.1, value * 0.9, value + 1, value - 1];
  const options = candidates.filter((candidate) => candidate !== value);
  const chosen = options[Math.floor(pick * options.length)] ?? value + 1;
  return integer ? String(chosen) : String(Math.round(chosen * 100) / 100);
}

/** A literal that looks like the ideal but differs (CRUXEval-style outputs, single digits, …). */
function wrongLiteral(ideal: string, pick: number): string {
  const text = ideal.trim();
  if (/^-?\d+$/.test(text)) return wrongNumber(text, pick);
  if (/^-?\d+\.\d+$/.test(text)) return String(Number(text) + 1);
  if (text === 'True') return 'False';
  if (text === 'False') return 'True';
  if (text === 'None') return '0';
  const quote = text[0];
  if ((quote === "'" || quote === '"') && text.endsWith(quote) && text.length >= 2) {
    const inner = text.slice(1, -1);
    if (inner.length === 0) return `${quote}a${quote}`;
    const mutated = pick < 0.5 ? inner.slice(0, -1) : inner.split('').reverse().join('') + 'x';
    return `${quote}${mutated === inner ? inner + 'x' : mutated}${quote}`;
  }
  if (text.startsWith('[') && text.endsWith(']')) {
    if (text === '[]') return '[0]';
    const lastComma = text.lastIndexOf(',');
    return lastComma === -1 ? '[]' : `${text.slice(0, lastComma)}]`;
  }
  if (text.startsWith('(') && text.endsWith(')')) return text === '()' ? '(0,)' : '()';
  if (text.startsWith('{') && text.endsWith('}')) return text === '{}' ? "{'a': 1}" : '{}';
  return `${text}x`;
}

/** The reply to an eval item, correct or not, in the form its grader expects. */
export function answerItem(item: DatasetItem, correct: boolean, pick: number, prompt: string): string {
  const ideal = ideals(item)[0] ?? '';
  const accepted = new Set(ideals(item).map((value) => value.trim()));
  switch (item.grader) {
    case 'numeric': {
      const value = correct ? ideal : wrongNumber(ideal, pick);
      return `Let me work through this step by step.\nPutting the quantities together gives the result.\nAnswer: ${value}`;
    }
    case 'choice': {
      if (correct) return ideal.trim();
      const letters = choiceLetters(item, prompt).filter((letter) => letter !== ideal.trim());
      return letters[Math.floor(pick * letters.length)] ?? 'A';
    }
    case 'includes': {
      if (correct) return ideal;
      // Near misses (a year off by one to three) that contain no accepted answer.
      const value = Number(ideal.trim());
      if (!Number.isInteger(value)) return 'I am not sure.';
      const options = [1, -1, 2, -2, 3, -3].map((offset) => String(value + offset)).filter((text) => ![...accepted].some((good) => text.includes(good)));
      return options[Math.floor(pick * options.length)] ?? 'I am not sure.';
    }
    case 'exact':
    default: {
      if (correct) return ideal;
      let wrong = wrongLiteral(ideal, pick);
      if (accepted.has(wrong.trim())) wrong = `${wrong} `.trim() + '0';
      return wrong;
    }
  }
}

const WORDS = (
  'the a system model request routing latency cost quality answer data provider policy network service ' +
  'result value time process approach design simple clear useful first next better each these several ' +
  'often usually because however therefore while since when where which that this with from into over ' +
  'measure improve compare choose handle support consider explain describe return build keep make show ' +
  'small large fast slow reliable stable careful practical common important specific general typical ' +
  'users teams tools steps parts cases limits tradeoffs options errors metrics budgets signals traces'
).split(' ');

/** Fluent-looking filler of about `tokens` tokens, deterministic for the seed. */
export function fillerText(tokens: number, seed: number): string {
  const random = seededRandom(seed);
  const targetChars = Math.max(4, tokens * 4);
  let text = '';
  let sentenceLength = 0;
  while (text.length < targetChars) {
    let word = WORDS[Math.floor(random() * WORDS.length)] as string;
    if (sentenceLength === 0) word = word[0]?.toUpperCase() + word.slice(1);
    text += word;
    sentenceLength += 1;
    if (sentenceLength > 6 && random() < 0.18) {
      text += random() < 0.2 ? '.\n\n' : '. ';
      sentenceLength = 0;
    } else text += random() < 0.08 ? ', ' : ' ';
  }
  return `${text.trimEnd().replace(/[,.]$/, '')}.`;
}

/** A value satisfying a JSON schema (the subset tool and JSON-mode schemas use). */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 6) return 'example';
  const node = schema as Record<string, unknown>;
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = node[key];
    if (Array.isArray(options) && options.length > 0) return sampleFromSchema(options[0], depth + 1);
  }
  const type = Array.isArray(node.type) ? node.type.find((value) => value !== 'null') : node.type;
  switch (type) {
    case 'object': {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(properties)) out[key] = sampleFromSchema(value, depth + 1);
      if (Object.keys(properties).length === 0 && depth === 0) out.answer = 'This is a simulated answer.';
      return out;
    }
    case 'array': {
      const min = typeof node.minItems === 'number' ? node.minItems : 1;
      return Array.from({ length: Math.max(1, Math.min(min, 3)) }, () => sampleFromSchema(node.items, depth + 1));
    }
    case 'integer':
      return typeof node.minimum === 'number' ? Math.ceil(node.minimum) : 42;
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 3.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      if (node.format === 'date') return '2026-11-21';
      if (node.format === 'date-time') return '2026-11-21T12:00:00Z';
      if (node.format === 'email') return 'someone@example.com';
      return 'Paris';
    default:
      return node.properties ? sampleFromSchema({ ...node, type: 'object' }, depth) : 'example';
  }
}

export interface AnswerContext {
  model: FleetModel;
  seed: number;
  item: DatasetItem | undefined;
  /** Per-request randomness for the length of free-form answers. */
  random: () => number;
  callId: string;
}

function truncate(text: string, maxTokens: number | undefined): { text: string; truncated: boolean } {
  if (maxTokens === undefined || approximateTokens(text) <= maxTokens) return { text, truncated: false };
  return { text: text.slice(0, Math.max(1, maxTokens * 4)), truncated: true };
}

function applyStop(text: string, stop: string[]): string {
  let end = text.length;
  for (const sequence of stop) {
    if (!sequence) continue;
    const at = text.indexOf(sequence);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}

export function composeOutcome(request: SimRequest, context: AnswerContext): SimOutcome {
  const { model, item } = context;
  const promptTokens = request.texts.reduce((sum, text) => sum + approximateTokens(text) + 3, 3);
  const outcome = (text: string, toolCalls: SimToolCall[] = [], extra: Partial<SimOutcome> = {}): SimOutcome => {
    const stopped = applyStop(text, request.stop);
    const { text: final, truncated } = truncate(stopped, request.maxTokens);
    const argumentTokens = toolCalls.reduce((sum, call) => sum + approximateTokens(call.arguments) + 5, 0);
    return {
      text: final,
      toolCalls,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : truncated ? 'length' : 'stop',
      promptTokens,
      completionTokens: Math.max(1, approximateTokens(final) + argumentTokens),
      ...extra,
    };
  };

  const wantsTool =
    request.tools.length > 0 &&
    request.toolChoice !== 'none' &&
    !request.lastIsToolResult &&
    (request.toolChoice !== 'auto' || item === undefined);
  if (wantsTool) {
    const name = typeof request.toolChoice === 'object' ? request.toolChoice.name : request.tools[0]?.name;
    const tool = request.tools.find((candidate) => candidate.name === name) ?? request.tools[0];
    if (tool) {
      // depth 0 fills an empty object schema, which is what a JSON-mode tool (Anthropic) carries.
      const args = sampleFromSchema(tool.parameters ?? { type: 'object', properties: {} }, tool.name === 'json_response' ? 0 : 1);
      return outcome('', [{ id: context.callId, name: tool.name, arguments: JSON.stringify(args) }]);
    }
  }

  let text: string;
  let extra: Partial<SimOutcome> = {};
  if (item) {
    const correct = isCorrect(model.name, item.id, context.seed, skillFor(model, item.category));
    text = answerItem(item, correct, unitHash('wrong', model.name, item.id, context.seed), request.lastText);
    extra = { itemId: item.id, correct };
  } else if (request.lastIsToolResult) {
    text = `Based on the tool result: ${fillerText(30, Math.floor(context.random() * 2 ** 31))}`;
  } else {
    const tokens = Math.round(Math.min(1200, Math.max(12, lognormal(context.random, 140 * model.verbosity, 0.6))));
    text = fillerText(tokens, Math.floor(context.random() * 2 ** 31));
  }
  if (request.jsonMode) {
    const value = request.jsonSchema ? sampleFromSchema(request.jsonSchema) : { answer: text };
    // JSON must stay valid: never truncate it.
    return { ...outcome('', [], extra), text: JSON.stringify(value), finishReason: 'stop', completionTokens: approximateTokens(JSON.stringify(value)) };
  }
  return outcome(text, [], extra);
}
