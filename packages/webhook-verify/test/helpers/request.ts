import { WebhookVerificationError } from '../../src/errors.js';
import { referenceLegacySign, referenceSign } from './reference-signer.js';

/** A fixed "now" so timestamps are deterministic: 2024-01-15T10:31:05Z. */
export const NOW_SECONDS = 1705314665;
export const NOW = new Date(NOW_SECONDS * 1000);

/** A secret in the shape Paygate issues: whsec_ + base64 of 32 bytes. */
export const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
export const OLD_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

export const EVENT = {
  id: 'evt_Q2x8Vb4Nm1Kp7Rt3',
  event: 'payment.success',
  timestamp: '2024-01-15T10:31:00.000Z',
  sequence: 3,
  data: {
    payment: {
      id: 'pay_H8sK3jD9s2L1pQrA',
      entity: 'payment',
      order_id: 'order_NXhj67fGH2jk9mPq',
      amount: 50000,
      currency: 'INR',
      method: 'upi',
      vpa: 'user@paytm',
      status: 'success',
      error_code: null,
      error_description: null,
      captured: true,
      amount_refunded: 0,
      refundable_amount: 50000,
      created_at: '2024-01-15T10:30:55.000Z',
      updated_at: '2024-01-15T10:31:00.000Z',
    },
  },
} as const;

export interface TestRequest {
  body: string;
  headers: Record<string, string>;
  secret: string;
}

/**
 * One valid delivery, signed by the independent reference signer, with Paygate's two
 * signatures; tests break exactly one thing in it (standard-webhooks webhook.test.ts does the same).
 */
export function validRequest(overrides: { secrets?: string[]; timestamp?: number; body?: string; id?: string } = {}): TestRequest {
  const secrets = overrides.secrets ?? [SECRET];
  const body = overrides.body ?? JSON.stringify(EVENT);
  const id = overrides.id ?? EVENT.id;
  const timestamp = overrides.timestamp ?? NOW_SECONDS;
  return {
    body,
    secret: secrets[0] as string,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': secrets.map((secret) => referenceSign({ secret, id, timestamp, body })).join(' '),
      'x-webhook-signature': referenceLegacySign({ secret: secrets[0] as string, body }),
    },
  };
}

/** Runs `promise`, requires it to reject with a WebhookVerificationError, and returns the error. */
export async function verificationError(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw new Error(`expected a WebhookVerificationError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected verification to fail, but it passed');
}

/** Same, for synchronous calls. */
export function verificationErrorSync(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw new Error(`expected a WebhookVerificationError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected verification to fail, but it passed');
}

/** Headers without the named ones. */
export function without(headers: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}
