/**
 * A small server-sent-events parser for the streaming hot path.
 *
 * How it works: bytes are decoded incrementally (TextDecoder in stream mode, so a UTF-8
 * sequence split across chunks survives), appended to one pending string, and scanned
 * line by line with indexOf. `event:` and `data:` fields accumulate until a blank line
 * dispatches the event. No per-line arrays or regexes are allocated; comments (`:`)
 * and unknown fields are skipped.
 */
export interface SseEvent {
  /** The `event:` field, or '' when absent. */
  event: string;
  data: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private eventName = '';
  private data = '';
  private hasData = false;

  /** Feed a chunk; complete events are passed to `onEvent` in order. */
  push(chunk: Uint8Array | string, onEvent: (event: SseEvent) => void): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const buffer = this.pending.length === 0 ? text : this.pending + text;
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf('\n', start);
      if (newline === -1) break;
      let end = newline;
      if (end > start && buffer.charCodeAt(end - 1) === 13) end -= 1; // \r\n
      this.line(buffer, start, end, onEvent);
      start = newline + 1;
    }
    this.pending = start === 0 ? buffer : buffer.slice(start);
  }

  /** Flush at end of body: a final event without its blank line still counts. */
  end(onEvent: (event: SseEvent) => void): void {
    const tail = this.decoder.decode();
    if (tail) this.push(tail, onEvent);
    if (this.pending.length > 0) {
      const rest = this.pending;
      this.pending = '';
      this.line(rest, 0, rest.length, onEvent);
    }
    this.dispatch(onEvent);
  }

  private line(buffer: string, start: number, end: number, onEvent: (event: SseEvent) => void): void {
    if (start === end) {
      this.dispatch(onEvent);
      return;
    }
    const first = buffer.charCodeAt(start);
    if (first === 58) return; // ':' comment / keep-alive
    const colon = buffer.indexOf(':', start);
    const fieldEnd = colon === -1 || colon > end ? end : colon;
    let valueStart = fieldEnd === end ? end : fieldEnd + 1;
    if (valueStart < end && buffer.charCodeAt(valueStart) === 32) valueStart += 1;
    const fieldLength = fieldEnd - start;
    if (fieldLength === 4 && buffer.startsWith('data', start)) {
      const value = buffer.slice(valueStart, end);
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (fieldLength === 5 && buffer.startsWith('event', start)) {
      this.eventName = buffer.slice(valueStart, end);
    }
  }

  private dispatch(onEvent: (event: SseEvent) => void): void {
    if (this.hasData) onEvent({ event: this.eventName, data: this.data });
    this.eventName = '';
    this.data = '';
    this.hasData = false;
  }
}
