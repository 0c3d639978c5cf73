/**
 * OpenAI `chat.completion.chunk` SSE frames, built as strings around a per-stream prefix so
 * a token costs one JSON.stringify of its text and one concatenation.
 */
import type { StreamEvent, Usage } from '@switchyard/core';

export const DONE_FRAME = 'data: [DONE]\n\n';

export class ChunkEncoder {
  private readonly prefix: string;
  /** Choice indices that already got their `role` delta. */
  private readonly started: boolean[] = [];

  constructor(id: string, created: number, model: string) {
    this.prefix = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`;
  }

  private choice(index: number, delta: string, finishReason: string | null): string {
    let frame = '';
    if (this.started[index] !== true) {
      this.started[index] = true;
      frame = `${this.prefix}[{"index":${index},"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
    }
    return `${frame}${this.prefix}[{"index":${index},"delta":${delta},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : JSON.stringify(finishReason)}}]}\n\n`;
  }

  /** The frame(s) of one normalized event; '' for events the client does not see. */
  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'text':
        return this.choice(event.index, `{"content":${JSON.stringify(event.text)}}`, null);
      case 'tool-call': {
        let call = `{"index":${event.toolIndex}`;
        if (event.id !== undefined) call += `,"id":${JSON.stringify(event.id)},"type":"function"`;
        call += ',"function":{';
        if (event.name !== undefined) call += `"name":${JSON.stringify(event.name)},`;
        call += `"arguments":${JSON.stringify(event.argumentsDelta)}}}`;
        return this.choice(event.index, `{"tool_calls":[${call}]}`, null);
      }
      case 'finish':
        return this.choice(event.index, '{}', event.finishReason === 'error' ? 'stop' : event.finishReason);
      default:
        return '';
    }
  }

  /** The final usage chunk of `stream_options.include_usage`: `choices: []`. */
  usage(usage: Usage): string {
    return `${this.prefix}[],"usage":${JSON.stringify(usage)}}\n\n`;
  }
}

/** An in-stream error frame, the way OpenAI-compatible servers report failures after the 200. */
export function errorFrame(error: { message: string; type: string; code: string; param?: string | null }): string {
  return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } })}\n\n`;
}
