import { expect } from 'vitest';
import { SEED_HEADERS } from './gateway.js';

/** A small SSE client over fetch, reading the stream as `pg-cli listen` does. */

export type SseFrame = { id?: string; event?: string; data?: string; retry?: number; comments: string[] };
export type SseEnvelope = { id: string; event: string; timestamp: string; sequence: number; data: any };

export type SseStream = {
  status: number;
  headers: Headers;
  /** Every frame in arrival order (comments-only frames included). */
  frames: SseFrame[];
  /** Frames that carry an event, with their parsed envelope. */
  events: () => Array<{ id: string; event: string; envelope: SseEnvelope }>;
  comments: () => string[];
  /** Whether the server ended the response. */
  ended: () => boolean;
  close: () => void;
};

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (field === 'retry') frame.retry = Number(value);
  }
  return frame;
}

export type SseOptions = { headers?: Record<string, string>; query?: string };

/** Opens `GET /api/v1/events/stream` (the seed merchant's by default) and reads it in the background. */
export async function openSseStream(baseUrl: string, options: SseOptions = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events/stream${options.query ?? ''}`, { headers: options.headers ?? SEED_HEADERS, signal: abort.signal });
  const frames: SseFrame[] = [];
  let ended = false;
  if (res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            frames.push(parseFrame(buffer.slice(0, at)));
            buffer = buffer.slice(at + 2);
          }
        }
      } catch {
        /* aborted or cut */
      } finally {
        ended = true;
      }
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    frames,
    events: () => frames.filter((f) => f.data !== undefined).map((f) => ({ id: f.id!, event: f.event!, envelope: JSON.parse(f.data!) as SseEnvelope })),
    comments: () => frames.flatMap((f) => f.comments),
    ended: () => ended,
    close: () => abort.abort(),
  };
}

/** Opens a stream and waits for its `: connected` comment (the subscription is in place). */
export async function connectSse(baseUrl: string, options: SseOptions = {}): Promise<SseStream> {
  const stream = await openSseStream(baseUrl, options);
  expect(stream.status).toBe(200);
  await expect.poll(() => stream.comments()).toContain('connected');
  return stream;
}
