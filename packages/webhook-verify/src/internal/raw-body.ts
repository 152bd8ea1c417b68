import { WebhookVerificationError } from '../errors.js';

/** How to get the raw body in the frameworks merchants use most; quoted in hints and the README. */
export const RAW_BODY_RECIPES =
  "Express: app.post('/webhook', express.raw({ type: 'application/json' }), handler) and pass req.body (a Buffer). " +
  "Fastify: app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => done(null, body)) and pass request.body. " +
  'Next.js route handler: const body = await request.text(). ' +
  'Hono: const body = await c.req.text().';

/** The raw body as bytes (what was signed) and as text (for parsing and diagnostics). */
export interface RawBodyBytes {
  bytes: Uint8Array<ArrayBuffer>;
  text: string;
  /** False when the bytes are not valid UTF-8 (then `text` has replacement characters). */
  validUtf8: boolean;
}

/**
 * Accepts a string, a Uint8Array (Node's Buffer is one), any other ArrayBuffer view or an
 * ArrayBuffer; anything else is `body_not_raw` with a hint that names the likely mistake.
 * The bytes are always copied into a fresh buffer: WebCrypto and TextDecoder refuse views of a
 * SharedArrayBuffer, and the caller's buffer must not change under us.
 */
export function readRawBody(rawBody: unknown): RawBodyBytes {
  if (typeof rawBody === 'string') {
    return { bytes: new TextEncoder().encode(rawBody), text: rawBody, validUtf8: true };
  }
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (ArrayBuffer.isView(rawBody)) {
    bytes = new Uint8Array(rawBody.byteLength);
    bytes.set(new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength));
  } else if (Object.prototype.toString.call(rawBody) === '[object ArrayBuffer]') {
    bytes = new Uint8Array((rawBody as ArrayBuffer).slice(0));
  }
  if (bytes === undefined) throw new WebhookVerificationError('body_not_raw', describeNonRawBody(rawBody));
  try {
    return { bytes, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), validUtf8: true };
  } catch {
    return { bytes, text: new TextDecoder('utf-8').decode(bytes), validUtf8: false };
  }
}

function describeNonRawBody(rawBody: unknown): string {
  let what: string;
  if (rawBody === undefined || rawBody === null) {
    what = `The body is ${String(rawBody)}: nothing read the request body, or a body parser consumed the stream and put nothing in its place.`;
  } else if (typeof rawBody === 'object' && (hasMethod(rawBody, 'pipe') || hasMethod(rawBody, 'getReader'))) {
    what = 'You passed the request stream itself; read it to a string or bytes first.';
  } else if (typeof rawBody === 'object') {
    what = `The body is already a parsed ${Array.isArray(rawBody) ? 'array' : 'object'}: a JSON body parser (express.json(), Fastify's default parser, Next.js pages' bodyParser) ran first. Re-serializing it is not guaranteed to give back the signed bytes.`;
  } else {
    what = `The body is a ${typeof rawBody}.`;
  }
  return `${what} Pass the raw body, exactly as received. ${RAW_BODY_RECIPES}`;
}

function hasMethod(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}
