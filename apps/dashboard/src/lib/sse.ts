/** Incremental parser for `text/event-stream` bodies (the playground reads its answer with it). */
export class SseParser {
  private buffer = '';

  /** Feed a decoded chunk; returns the `data:` payloads of every complete event in it. */
  push(chunk: string): string[] {
    this.buffer += chunk.replace(/\r\n/g, '\n');
    const out: string[] = [];
    let index: number;
    while ((index = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, index);
      this.buffer = this.buffer.slice(index + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) out.push(data);
    }
    return out;
  }
}
