import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logger.js';

export type LogLine = { level: number; msg?: string; reqId?: string; err?: { message?: string; type?: string }; [key: string]: unknown };

/** pino's numeric levels: a test asks for "error or worse" as `level >= LEVEL.error`. */
export const LEVEL = { warn: 40, error: 50, fatal: 60 } as const;

/** A real pino logger (the gateway's, redaction included) whose lines a test can read. */
export function captureLogs(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  return { logger: createLogger(level, stream), lines };
}
