// An independent signer on node:crypto and Buffer, written from the rule in core's fixture
// $comment rather than from this package's code, so agreement between the two means something.
import { createHmac } from 'node:crypto';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function referenceKey(secret: string): Buffer {
  const rest = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  return rest !== '' && BASE64.test(rest) ? Buffer.from(rest, 'base64') : Buffer.from(secret, 'utf8');
}

export function referenceSign(input: { secret: string; id: string; timestamp: number; body: string | Uint8Array }): string {
  const mac = createHmac('sha256', referenceKey(input.secret)).update(`${input.id}.${input.timestamp}.`).update(input.body).digest('base64');
  return `v1,${mac}`;
}

export function referenceLegacySign(input: { secret: string; body: string | Uint8Array }): string {
  return createHmac('sha256', Buffer.from(input.secret, 'utf8')).update(input.body).digest('hex');
}

/** Checks a `v1,…` list the way a merchant hand-rolling node:crypto would. */
export function referenceVerify(input: { secret: string; id: string; timestamp: number; body: string; header: string }): boolean {
  const expected = referenceSign(input).slice(3);
  return input.header.split(' ').some((entry) => entry.startsWith('v1,') && entry.slice(3) === expected);
}
