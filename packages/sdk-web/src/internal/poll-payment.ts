import type { CheckoutPayment } from './checkout-api.js';

/** Waits between status checks: quick at first (test mode settles in about a second), then every 3 s. */
export const POLL_DELAYS_MS = [400, 600, 900, 1300, 2000, 3000] as const;

export type PollOptions = {
  /** Stops the polling (the element was removed, or the shopper closed the modal). */
  signal: AbortSignal;
  /** Gives up after this long; the caller shows that the outcome is unknown. */
  timeoutMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
};

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Reads the payment until it leaves `pending`, backing off from 0.4 s to 3 s between reads.
 * A failed read (a network blip) is retried on the same schedule. Resolves with the settled
 * payment, or `null` after `timeoutMs` (default 5 minutes).
 */
export async function pollUntilSettled(read: () => Promise<CheckoutPayment>, options: PollOptions): Promise<CheckoutPayment | null> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 5 * 60_000);
  for (let attempt = 0; now() < deadline; attempt++) {
    await sleep(POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)]!, options.signal);
    try {
      const payment = await read();
      if (payment.status !== 'pending') return payment;
    } catch (error) {
      if (options.signal.aborted) throw error;
    }
  }
  return null;
}
