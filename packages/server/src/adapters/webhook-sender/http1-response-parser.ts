/**
 * The answer side of http1-pool.ts: one HTTP/1.1 response read from its bytes as they come.
 */
export type Http1Response = { statusCode: number; headers: Readonly<Record<string, string>>; body: Buffer };

/** A response head larger than this, or a body to drain larger than this, is not worth keeping the connection for. */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_DRAINED_BODY_BYTES = 64 * 1024;

export type ParsedResponse = { response: Http1Response; reusable: boolean };

/**
 * Reads one response from the bytes as they come: the head (skipping 1xx interim answers), then
 * the body by its framing. Keeps `bodyLimit` bytes of the body and reads past them only to leave
 * the connection ready for the next request (up to MAX_DRAINED_BODY_BYTES; beyond, it is closed).
 */
export class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  private head: { statusCode: number; headers: Record<string, string>; keepAlive: boolean } | undefined;
  private framing: 'length' | 'chunked' | 'close' = 'close';
  /** Bytes of body (length framing) or of the current chunk (chunked) still to come. */
  private remaining = 0;
  private chunkState: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private seenBytes = 0;

  constructor(private readonly bodyLimit: number) {}

  /** Feeds bytes; returns the response once it is complete. */
  push(chunk: Buffer): ParsedResponse | undefined {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.head) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES) throw new Error('the response head is too large');
        return undefined;
      }
      const head = parseHead(this.buffer.toString('latin1', 0, end));
      this.buffer = this.buffer.subarray(end + 4);
      if (head.statusCode >= 100 && head.statusCode < 200) continue; // 100 Continue, 103 Early Hints
      this.head = head;
      const framing = framingOf(head.statusCode, head.headers);
      this.framing = framing.by;
      this.remaining = framing.length;
    }
    return this.readBody();
  }

  /** The connection ended: complete only if the body runs until the close. */
  end(): ParsedResponse | undefined {
    if (!this.head || this.framing !== 'close') return undefined;
    return this.complete(false);
  }

  private readBody(): ParsedResponse | undefined {
    if (this.framing === 'close') {
      this.keep(this.buffer);
      this.buffer = Buffer.alloc(0);
      return this.seenBytes > MAX_DRAINED_BODY_BYTES ? this.complete(false) : undefined;
    }
    if (this.framing === 'length') {
      if (this.takeRemaining()) return this.complete(this.buffer.length === 0);
      return this.seenBytes > MAX_DRAINED_BODY_BYTES ? this.complete(false) : undefined;
    }
    for (;;) {
      if (this.seenBytes > MAX_DRAINED_BODY_BYTES) return this.complete(false);
      if (this.chunkState === 'data') {
        if (!this.takeRemaining()) return undefined;
        this.chunkState = 'data-end';
        continue;
      }
      const lineEnd = this.buffer.indexOf('\r\n');
      if (lineEnd < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES) throw new Error('a chunk line of the response is too long');
        return undefined;
      }
      const line = this.buffer.toString('latin1', 0, lineEnd);
      this.buffer = this.buffer.subarray(lineEnd + 2);
      if (this.chunkState === 'data-end') {
        if (line !== '') throw new Error('a chunk of the response does not end where its size says');
        this.chunkState = 'size';
      } else if (this.chunkState === 'size') {
        const size = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/.exec(line);
        if (!size) throw new Error('the response has a malformed chunk size');
        this.remaining = parseInt(size[1]!, 16);
        this.chunkState = this.remaining === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        return this.complete(this.buffer.length === 0); // the blank line after the trailers
      }
    }
  }

  /** Takes what has come of the `remaining` body bytes; true once all of them have. */
  private takeRemaining(): boolean {
    const take = Math.min(this.remaining, this.buffer.length);
    this.keep(this.buffer.subarray(0, take));
    this.remaining -= take;
    this.buffer = this.buffer.subarray(take);
    return this.remaining === 0;
  }

  private keep(bytes: Buffer): void {
    this.seenBytes += bytes.length;
    if (this.keptBytes >= this.bodyLimit || bytes.length === 0) return;
    const part = bytes.subarray(0, this.bodyLimit - this.keptBytes);
    this.kept.push(part);
    this.keptBytes += part.length;
  }

  private complete(drained: boolean): ParsedResponse {
    const { statusCode, headers, keepAlive } = this.head!;
    return { response: { statusCode, headers, body: Buffer.concat(this.kept) }, reusable: drained && keepAlive && this.framing !== 'close' };
  }
}

function parseHead(text: string): { statusCode: number; headers: Record<string, string>; keepAlive: boolean } {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
  if (!status) throw new Error('the receiver did not answer in HTTP/1.x');
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error('the response has a malformed header line');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const connection = (headers['connection'] ?? '').toLowerCase();
  const keepAlive = status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  return { statusCode: Number(status[2]), headers, keepAlive };
}

/** How the body's end is known (RFC 9112 §6.3): no body, chunked, a length, or the connection's close. */
function framingOf(statusCode: number, headers: Readonly<Record<string, string>>): { by: 'length' | 'chunked' | 'close'; length: number } {
  if (statusCode === 204 || statusCode === 304) return { by: 'length', length: 0 };
  const transferEncoding = headers['transfer-encoding'];
  if (transferEncoding !== undefined) return { by: /(?:^|,)\s*chunked\s*$/i.test(transferEncoding) ? 'chunked' : 'close', length: 0 };
  const length = headers['content-length'];
  if (length === undefined) return { by: 'close', length: 0 };
  if (!/^\d+$/.test(length)) throw new Error('the response has an invalid Content-Length');
  return { by: 'length', length: Number(length) };
}
