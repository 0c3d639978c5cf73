/**
 * JSON body parsing with a useful 400: the parser's message plus the position (and line and
 * column) where the JSON went wrong, so a client can find its mistake.
 */
import { SwitchyardError } from '@switchyard/core';

function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < position && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return `line ${line} column ${position - lineStart + 1}`;
}

function dropProto(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new SwitchyardError('bad_request', 'Request body is empty; send a JSON object', { param: 'body', retryable: false });
  try {
    // `__proto__` keys are dropped (as secure-json-parse would): they would otherwise travel upstream.
    return text.includes('__proto__') ? JSON.parse(text, dropProto) : JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    const position = match ? Number(match[1]) : /end of (JSON|data)/i.test(message) ? text.length : undefined;
    const where = position === undefined ? '' : ` (at position ${position}, ${lineAndColumn(text, position)})`;
    throw new SwitchyardError('bad_request', `Malformed JSON body: ${message.replace(/ in JSON at position \d+.*$/, '')}${where}`, {
      param: 'body',
      retryable: false,
    });
  }
}
