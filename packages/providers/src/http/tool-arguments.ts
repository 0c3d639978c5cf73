import { SwitchyardError } from '@switchyard/core';

/**
 * OpenAI carries tool-call arguments as a JSON string; Anthropic and Gemini want the object.
 * An empty string is `{}`; anything else that is not JSON is the caller's bad request.
 */
export function parseToolArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SwitchyardError('bad_request', 'tool call arguments must be JSON', { param: 'messages', retryable: false });
  }
}
