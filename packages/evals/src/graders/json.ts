import { Ajv, type ValidateFunction } from 'ajv';
import type { EvalItem } from '../item';
import { canonicalJson } from '../item';
import { clip, type GradeResult } from './types';

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new Map<string, ValidateFunction>();

function validator(schema: Record<string, unknown>): ValidateFunction {
  const key = canonicalJson(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

/** The JSON in an output: the whole text, or the body of a ```json fence. */
export function extractJson(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/i.exec(output);
  const text = (fenced ? fenced[1]! : output).trim();
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * json: the output is valid JSON; with `graderOptions.schema`, it also validates against that
 * JSON Schema (ajv); with `graderOptions.matchIdeal`, it must equal one ideal parsed as JSON.
 */
export function jsonGrader(item: EvalItem, output: string): GradeResult {
  const parsed = extractJson(output);
  if (!parsed.ok) return { score: 0, explanation: `not valid JSON: ${clip(parsed.error, 60)}` };
  const schema = item.graderOptions.schema;
  if (schema && typeof schema === 'object') {
    const validate = validator(schema as Record<string, unknown>);
    if (!validate(parsed.value)) {
      const first = validate.errors?.[0];
      return { score: 0, explanation: `JSON does not match the schema: ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`, detail: { errors: validate.errors ?? [] } };
    }
  }
  if (item.graderOptions.matchIdeal === true) {
    const said = canonicalJson(parsed.value);
    const match = item.ideal.some((ideal) => {
      const expected = extractJson(ideal);
      return expected.ok && canonicalJson(expected.value) === said;
    });
    if (!match) return { score: 0, explanation: 'valid JSON, but not equal to the expected value' };
  }
  return { score: 1, explanation: schema ? 'valid JSON matching the schema' : 'valid JSON' };
}
