/** An order as the public checkout API shows it to a shopper's browser. */
export type CheckoutOrder = {
  id: string;
  amount: number;
  currency: string;
  status: string;
  merchant_name: string;
  /** The gateway runs in test mode: magic values decide outcomes and the mock bank step is shown. */
  test_mode?: boolean;
  /** The VPA a UPI app pays for this merchant (the QR code's `pa`). */
  upi_vpa?: string;
};

/** A payment as the public checkout API shows it: its outcome, nothing of the merchant's data. */
export type CheckoutPayment = {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  status: 'pending' | 'success' | 'failed';
  error_code: string | null;
  error_description: string | null;
  created_at: string;
};

/** What the checkout sends to pay: the API's `POST /payments` body. */
export type CheckoutPaymentInput =
  | { order_id: string; method: 'upi'; vpa: string }
  | { order_id: string; method: 'card'; card: { number: string; expiry_month: number; expiry_year: number; cvv: string; name?: string } };

/** An error answer of the gateway (`{error: {code, description, field?}}`), or a network failure (`NETWORK_ERROR`). */
export class CheckoutApiError extends Error {
  override readonly name = 'CheckoutApiError';
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(`${code}: ${description}`);
  }
}

export type CheckoutApiOptions = {
  /** The gateway's origin, e.g. `http://127.0.0.1:8000`. */
  apiBase: string;
  /** The merchant's public key (`key_…`); never the secret. */
  key: string;
  fetch?: typeof fetch;
};

/** The three public checkout endpoints, authenticated with `X-Api-Key` alone. */
export type CheckoutApi = ReturnType<typeof createCheckoutApi>;

/**
 * A client for the gateway's public checkout API (`/api/v1/checkout/*`). It sends only the public
 * key: the browser never holds a secret.
 */
export function createCheckoutApi(options: CheckoutApiOptions) {
  const base = options.apiBase.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}/api/v1/checkout${path}`, {
        method,
        headers: { 'X-Api-Key': options.key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new CheckoutApiError('NETWORK_ERROR', 'Could not reach the payment gateway. Check your connection and try again.', 0);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; description?: string; field?: string } } | undefined)?.error;
      throw new CheckoutApiError(
        error?.code ?? 'SERVER_ERROR',
        error?.description ?? `The gateway answered ${response.status}.`,
        response.status,
        error?.field,
      );
    }
    return parsed as T;
  }

  return {
    getOrder: (orderId: string) => call<CheckoutOrder>('GET', `/orders/${encodeURIComponent(orderId)}`),
    /** `idempotencyKey` is the attempt's key: a repeat of the same attempt pays once. */
    createPayment: (input: CheckoutPaymentInput, idempotencyKey: string) =>
      call<CheckoutPayment>('POST', '/payments', input, { 'Idempotency-Key': idempotencyKey }),
    getPayment: (paymentId: string) => call<CheckoutPayment>('GET', `/payments/${encodeURIComponent(paymentId)}`),
  };
}
