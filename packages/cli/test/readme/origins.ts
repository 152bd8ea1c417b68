/** The base URLs the READMEs use: the gateway's (port 8000) and the merchant's webhook receiver's (port 4000). */
const README_ORIGIN = /http:\/\/(?:localhost|127\.0\.0\.1):(8000|4000)(?!\d)/g;

/**
 * `text` with the READMEs' base URLs replaced by the ones the test started, in one pass: an origin
 * put in is never read again, so a gateway the system gave port 40001 does not turn into the
 * receiver's address with a `1` after its port (two passes did that, and every curl of the
 * READMEs then failed on an invalid URL).
 */
export function rewriteReadmeOrigins(text: string, origins: { gateway: string; receiver: string }): string {
  return text.replace(README_ORIGIN, (_match, port: string) => (port === '8000' ? origins.gateway : origins.receiver));
}
