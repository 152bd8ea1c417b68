import { pino, type Logger } from 'pino';

/** Paths never written to logs: credentials, webhook secrets, card data. */
export const REDACT_PATHS = [
  'req.headers["x-api-secret"]',
  'req.headers.authorization',
  '*.api_secret',
  '*.apiSecret',
  '*.webhook_secret',
  '*.previous_webhook_secret',
  '*.card',
  '*.cvv',
  'body.card',
];

/** The one root logger of a process (STYLE §11); everything else uses children of it. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } }, destination as never);
}
