import { PaygateError, isId } from '@paygate/core';
import { findOrderPublicKey } from '../adapters/db/operations/checkout.js';
import type { ServiceDeps } from './service-deps.js';

/** What the hosted checkout page needs to pay an order: the order and its merchant's public key (never a secret). */
export type HostedCheckout = { orderId: string; key: string };

/**
 * Finds the order the hosted page (`GET /checkout?order_id=…`) pays and the public key its
 * checkout uses. A missing or malformed id is `BAD_REQUEST_ERROR`, an unknown one `NOT_FOUND_ERROR`.
 */
export async function findHostedCheckout(deps: Pick<ServiceDeps, 'db'>, orderId: unknown): Promise<HostedCheckout> {
  if (typeof orderId !== 'string' || orderId === '') {
    throw new PaygateError('BAD_REQUEST_ERROR', 'The checkout page needs the order to pay: open /checkout?order_id=order_…', { field: 'order_id' });
  }
  if (!isId('order', orderId)) {
    throw new PaygateError(
      'BAD_REQUEST_ERROR',
      `order_id must be an order id like order_ followed by 16 letters and digits; got ${JSON.stringify(orderId.slice(0, 40))}`,
      {
        field: 'order_id',
      },
    );
  }
  const found = await findOrderPublicKey({ db: deps.db, orderId });
  if (!found) throw new PaygateError('NOT_FOUND_ERROR', `No order ${orderId}.`, { field: 'order_id' });
  return { orderId: found.order_id, key: found.api_key };
}
