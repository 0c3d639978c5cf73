import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse';

function parse(chunks: Array<string | Uint8Array>): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) parser.push(chunk, (event) => events.push(event));
  parser.end((event) => events.push(event));
  return events;
}

describe('SseParser', () => {
  it('parses named events and data-only events', () => {
    expect(parse(['event: ping\ndata: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual([
      { event: 'ping', data: '{"a":1}' },
      { event: '', data: '[DONE]' },
    ]);
  });

  it('reassembles events split at any byte, including inside a UTF-8 sequence', () => {
    const text = 'data: {"text":"héllo → 世界"}\n\nevent: x\ndata: 2\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(parse([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([
        { event: '', data: '{"text":"héllo → 世界"}' },
        { event: 'x', data: '2' },
      ]);
    }
  });

  it('handles CRLF, comments, multi-line data, fields without a space and unknown fields', () => {
    expect(parse([': keep-alive\r\n\r\nid: 7\r\ndata:line one\r\ndata: line two\r\nretry: 10\r\n\r\n'])).toEqual([
      { event: '', data: 'line one\nline two' },
    ]);
  });

  it('flushes a final event without its blank line at end of body', () => {
    expect(parse(['data: tail'])).toEqual([{ event: '', data: 'tail' }]);
  });

  it('ignores blank lines without data', () => {
    expect(parse(['\n\n\n'])).toEqual([]);
  });
});
