/**
 * Every way a delivery can fail verification, with what it means and what to do about it.
 *
 * Written `as const` and read through `Record<WebhookVerificationReason, …>` so a new reason
 * without a description, hint or status does not compile (STYLE.md §4).
 */
export const WEBHOOK_VERIFICATION_REASONS = {
  body_not_raw: {
    status: 400,
    description: 'The body passed in is not the raw request body (a string or bytes).',
    hint: 'Signatures cover the exact bytes Paygate sent, so verify the raw body before any JSON parser touches it.',
  },
  invalid_secret: {
    status: 500,
    description: 'The webhook secret is missing or unusable.',
    hint: 'Pass the endpoint secret from the dashboard or `POST /api/v1/test/merchants` (it starts with `whsec_`); in dev mode it is `whsec_test_abc123`.',
  },
  invalid_options: {
    status: 500,
    description: 'The verification options are not valid.',
    hint: '`toleranceSeconds` must be a finite number ≥ 0, `now` a valid Date or epoch milliseconds, `legacy` a boolean.',
  },
  missing_header: {
    status: 400,
    description: 'A required webhook header is missing.',
    hint: 'Pass every request header (`req.headers` in Node, `request.headers` in Fetch); Paygate sends `webhook-id`, `webhook-timestamp` and `webhook-signature`. A proxy may be stripping them.',
  },
  invalid_header: {
    status: 400,
    description: 'A webhook header is present but malformed.',
    hint: '`webhook-timestamp` must be unix seconds and `webhook-signature` a space-separated list of `v1,<base64>` entries.',
  },
  timestamp_too_old: {
    status: 400,
    description: 'The webhook timestamp is older than the tolerance allows.',
    hint: 'Either this is a replay of an old delivery, or this server’s clock runs ahead: check NTP. Paygate signs every retry with a fresh timestamp, so a genuine retry is never old.',
  },
  timestamp_in_future: {
    status: 400,
    description: 'The webhook timestamp is further in the future than the tolerance allows.',
    hint: 'This server’s clock is probably behind the sender’s (or a test passed the wrong `now`): check NTP.',
  },
  no_matching_signature: {
    status: 400,
    description: 'No signature in the request matches the body with the given secret(s).',
    hint: 'Check the secret and that the body is the raw, unmodified request body.',
  },
  invalid_json: {
    status: 400,
    description: 'The signature is valid but the body is not JSON.',
    hint: 'Paygate always sends JSON; if you signed this request yourself, sign a JSON body.',
  },
  invalid_payload: {
    status: 400,
    description: 'The signature is valid but the body is not a Paygate event.',
    hint: 'A Paygate event is an object with string `id` and `event` and an object `data`. If the sender is not Paygate, use `verifyWebhookSignature` instead.',
  },
  crypto_unavailable: {
    status: 500,
    description: 'WebCrypto (`globalThis.crypto.subtle`) is not available in this runtime.',
    hint: 'Browsers expose WebCrypto only in secure contexts (https or localhost). On old Node versions import `@paygate/webhook-verify/node`.',
  },
} as const satisfies Record<string, { status: number; description: string; hint: string }>;

/** A machine-readable code for why a webhook failed verification; branch on this, not on text. */
export type WebhookVerificationReason = keyof typeof WEBHOOK_VERIFICATION_REASONS;

/**
 * The only error `verifyWebhook` throws, for any input.
 *
 * @remarks `status` is the HTTP status a receiver should answer with: 400 for a request that is
 * not a genuine, fresh Paygate delivery, 500 for a problem in the receiver's own setup (wrong
 * secret type, no WebCrypto). Either way Paygate retries, so a fixed setup catches up.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  /** Why verification failed. */
  readonly reason: WebhookVerificationReason;
  /** What to do about it, written for the developer reading the log. */
  readonly hint: string;
  /** The HTTP status a receiver should answer with (see the class remarks). */
  readonly status: 400 | 500;

  /** Builds the error for `reason`; `hint` replaces the reason's generic hint when given. */
  constructor(reason: WebhookVerificationReason, hint?: string, options?: { cause?: unknown }) {
    const entry = WEBHOOK_VERIFICATION_REASONS[reason];
    const fullHint = hint ?? entry.hint;
    super(`${entry.description} (${reason}) ${fullHint}`, options);
    this.reason = reason;
    this.hint = fullHint;
    this.status = entry.status;
  }
}

/**
 * True for a {@link WebhookVerificationError}, also one thrown by another copy of this package
 * (the ESM and CJS builds loaded side by side have two distinct classes, so `instanceof` fails).
 */
export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  if (error instanceof WebhookVerificationError) return true;
  if (!(error instanceof Error) || error.name !== 'WebhookVerificationError') return false;
  const reason: unknown = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' && Object.hasOwn(WEBHOOK_VERIFICATION_REASONS, reason);
}
