// The types of the verifier's inputs and outputs, apart from verify.ts so that the signer, the
// node:crypto entry and the shared verification steps can use them without importing the
// verifier (internal/verification.ts and verify.ts used to import each other).

/** The raw request body, exactly as received: text, or bytes (Node's Buffer is a Uint8Array). */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** One webhook secret, or several while a rotation is in progress (any one may match). */
export type WebhookSecrets = string | readonly string[];

/** Options for {@link verifyWebhook} and {@link verifyWebhookSignature}. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from `now`, either way, in seconds. Default 300, as
   * Standard Webhooks recommends. Smaller narrows the replay window; 0 only suits tests.
   */
  toleranceSeconds?: number;
  /** The current time (a Date or epoch milliseconds); defaults to the system clock. For tests. */
  now?: Date | number;
  /**
   * Also accept the seed's legacy `X-Webhook-Signature` (hex HMAC-SHA256 of the body alone)
   * when a request carries no Standard Webhooks headers. Off by default.
   *
   * @remarks The legacy scheme has NO replay protection: it signs neither a timestamp nor an
   * id, so anyone who captures one delivery can resend it forever and it will verify. When the
   * Standard Webhooks headers are present they are always used, and a legacy signature never
   * rescues a failed v1 check.
   */
  legacy?: boolean;
}

/** What a successful signature check proved. */
export type VerifiedWebhookSignature =
  | {
      scheme: 'v1';
      /** `webhook-id`: the event id, the same on every attempt. */
      id: string;
      /** `webhook-timestamp` in unix seconds: fresh on every attempt. */
      timestamp: number;
      /** Index of the secret that matched, in the order given (useful to tell when the old secret stops being used). */
      secretIndex: number;
      /** The body as UTF-8 text. */
      body: string;
    }
  | {
      /** The legacy X-Webhook-Signature matched (only with `legacy: true`): no id, no timestamp, no replay protection. */
      scheme: 'legacy';
      secretIndex: number;
      body: string;
    };
