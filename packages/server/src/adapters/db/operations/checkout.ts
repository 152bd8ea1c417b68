import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/**
 * The public key of the merchant that owns an order, for the hosted checkout page: the seed's URL
 * (`/checkout?order_id=…`) names only the order. Unscoped on purpose: the page shows nothing the
 * order id's holder could not already pay, and the key is public.
 */
export async function findOrderPublicKey({ db, orderId }: { db: Db; orderId: string }): Promise<{ order_id: string; api_key: string } | undefined> {
  return db('orders')
    .join('merchants', 'merchants.id', 'orders.merchant_id')
    .where('orders.id', orderId)
    .first<{ order_id: string; api_key: string } | undefined>('orders.id as order_id', 'merchants.api_key as api_key');
}
