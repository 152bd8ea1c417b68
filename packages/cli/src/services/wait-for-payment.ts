import type { Payment, PaygateRestClient } from '@paygate/client/rest';
import { PaygateError } from '@paygate/core/domain';

const POLL_MS = 200;
/** Longer than any test-mode processing delay and a real processor's usual answer. */
const WAIT_LIMIT_MS = 120_000;

/** Polls the payment until it is no longer pending (`payments create --wait`, `trigger`). */
export async function waitForPayment(client: PaygateRestClient, id: string, limitMs = WAIT_LIMIT_MS): Promise<Payment> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const payment = await client.payments.get(id);
    if (payment.status !== 'pending') return payment;
    if (Date.now() > deadline) {
      throw new PaygateError(
        'SERVICE_UNAVAILABLE_ERROR',
        `Payment ${id} is still pending after ${limitMs / 1000} s: are the gateway's workers running? (pg-cli worker, or GET /api/v1/test/jobs/status)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
