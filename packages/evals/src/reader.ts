/**
 * Byte-level reading of an upload: size accounting, sniffing the head for files that are not
 * text at all (zip, gzip, PDF, UTF-16, NUL bytes), and splitting into physical lines.
 *
 * Lines are split on the byte 0x0A, which never occurs inside a multi-byte UTF-8 sequence,
 * and each line is decoded strictly, so a file in another encoding is reported with the
 * line where it goes wrong. A line longer than the limit is skipped as it streams past:
 * its bytes are never held in memory.
 */
import { formatBytes } from '@switchyard/core';

export type DatasetChunk = Buffer | Uint8Array | string;
/** A file stream, any async or sync iterable of chunks, or the whole content at once. */
export type DatasetSource = AsyncIterable<DatasetChunk> | Iterable<DatasetChunk> | Buffer | string;

/** One async iterator over any DatasetSource. */
export function sourceIterator(source: DatasetSource): AsyncIterator<DatasetChunk> {
  if (typeof source === 'string' || Buffer.isBuffer(source)) source = [source];
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return { next: async () => sync.next() };
}

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than the ${formatBytes(limit)} limit`);
    this.name = 'FileTooLargeError';
  }
}

/** Normalize chunks to Buffers and count bytes; throws FileTooLargeError past `maxBytes`. */
export async function* countedChunks(source: AsyncIterable<DatasetChunk>, maxBytes: number, counter: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    counter.bytes += buffer.length;
    if (counter.bytes > maxBytes) throw new FileTooLargeError(maxBytes);
    if (buffer.length > 0) yield buffer;
  }
}

/** Read at least `size` bytes (or all) from the start, returning them and the untouched rest. */
export async function peek(
  chunks: AsyncIterator<Buffer>,
  size: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const parts: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(parts);
  return {
    head,
    rest: {
      async *[Symbol.asyncIterator]() {
        if (head.length > 0) yield head;
        if (done) return;
        for (;;) {
          const next = await chunks.next();
          if (next.done) return;
          yield next.value;
        }
      },
    },
  };
}

const signatures: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (also .xlsx/.docx)' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2 archive' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a], what: 'an xz archive' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd archive' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'a legacy Office document (.xls/.doc)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
];

/**
 * Why the file cannot be a text dataset, or null. Looks only at the first bytes.
 */
export function sniffBinary(head: Buffer): string | null {
  for (const signature of signatures) {
    if (signature.bytes.every((byte, index) => head[index] === byte)) {
      return `The file is ${signature.what}, not a text dataset: extract it and upload the JSONL, CSV or YAML file inside`;
    }
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return 'The file is encoded as UTF-16: save it as UTF-8 and upload again';
  }
  const sample = head.subarray(0, 8192);
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    // Unmarked UTF-16 has a NUL in every other byte of ASCII text.
    let nuls = 0;
    for (const byte of sample) if (byte === 0) nuls += 1;
    if (nuls > sample.length / 4) return 'The file looks like UTF-16 text without a byte-order mark: save it as UTF-8 and upload again';
    return `The file is binary (it contains a NUL byte at offset ${nul}), not a text dataset`;
  }
  return null;
}

export type PhysicalLine =
  | { number: number; kind: 'text'; text: string }
  | { number: number; kind: 'too-long'; bytes: number }
  | { number: number; kind: 'bad-encoding' };

/** Split a byte stream into strictly decoded UTF-8 lines (without `\n`, `\r\n` or a leading BOM). */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<PhysicalLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let pending = 0;
  let skipping = false;
  let skippedBytes = 0;
  let number = 0;

  const finish = (): PhysicalLine => {
    number += 1;
    if (skipping) {
      const line: PhysicalLine = { number, kind: 'too-long', bytes: skippedBytes };
      skipping = false;
      skippedBytes = 0;
      return line;
    }
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    try {
      return { number, kind: 'text', text: decoder.decode(bytes) };
    } catch {
      return { number, kind: 'bad-encoding' };
    }
  };

  const take = (segment: Buffer) => {
    if (segment.length === 0) return;
    if (skipping) {
      skippedBytes += segment.length;
      return;
    }
    if (pending + segment.length > maxLineBytes) {
      skipping = true;
      skippedBytes = pending + segment.length;
      parts = [];
      pending = 0;
      return;
    }
    parts.push(segment);
    pending += segment.length;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) {
        take(chunk.subarray(start));
        break;
      }
      take(chunk.subarray(start, newline));
      yield finish();
      start = newline + 1;
    }
  }
  if (pending > 0 || skipping) yield finish();
}
