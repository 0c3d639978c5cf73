import type { FastifyRequest } from 'fastify';
import type { SimulatorFormat } from '@switchyard/providers';
import type { SimOutcome, SimRequest } from '../answers';

/** The error kinds every wire format can express. */
export type SimErrorKind = 'bad_request' | 'auth' | 'not_found' | 'rate_limited' | 'server' | 'unavailable' | 'overloaded';

export interface SimErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A request the simulator refuses, rendered in the format's own error shape. */
export class SimHttpError extends Error {
  constructor(
    readonly kind: SimErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface StreamContext {
  id: string;
  model: string;
  created: number;
  request: SimRequest;
}

/** One vendor wire format: request parsing, auth, responses, stream frames, errors. */
export interface SimFormat {
  readonly name: SimulatorFormat;
  /** Is an API key present where this vendor expects it? */
  hasKey(request: FastifyRequest): boolean;
  /** Parse the body (and URL) into a SimRequest; throws SimHttpError for invalid input. */
  parse(request: FastifyRequest, modelFromUrl: string | undefined, stream: boolean): SimRequest;
  error(kind: SimErrorKind, message: string, options?: { status?: number; retryAfterSeconds?: number }): SimErrorResponse;
  response(context: StreamContext, outcome: SimOutcome): unknown;
  streamStart(context: StreamContext, outcome: SimOutcome): string;
  streamText(context: StreamContext, text: string): string;
  streamToolCalls(context: StreamContext, outcome: SimOutcome): string;
  streamEnd(context: StreamContext, outcome: SimOutcome): string;
  /** A frame a strict client cannot parse. */
  malformedFrame(): string;
}

export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    let text = '';
    for (const part of content) {
      if (part && typeof part === 'object') {
        const value = (part as { text?: unknown }).text;
        if (typeof value === 'string') text += value;
      }
    }
    return text;
  }
  return '';
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
