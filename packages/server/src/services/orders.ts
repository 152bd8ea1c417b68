import { PaygateError, newId, type CreateOrderInput, type ListQueryInput } from '@paygate/core';
import { toOrderDto } from '../model/wire.js';
import { findOrder, findOrderByIdempotencyRef, listOrders as listOrderRows } from '../adapters/db/operations/orders.js';
import type { MerchantRow, OrderRow } from '../model/rows.js';
import type { ServiceDeps } from './service-deps.js';
import { createOnce, type IdempotentCreation } from './idempotency.js';
import { toListDto } from './list.js';

export async function createOrder(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'paymentStore'>,
  merchant: MerchantRow,
  input: CreateOrderInput,
  idempotency?: IdempotentCreation,
) {
  return createOnce(idempotency, {
    uniqueIndex: 'orders_idempotency_ref_key',
    find: async (ref) => {
      const row = await findOrderByIdempotencyRef({ db: deps.db, merchantId: merchant.id, ref });
      return row && toOrderDto(row);
    },
    create: (ref) => insertNewOrder(deps, merchant, input, ref),
  });
}

async function insertNewOrder(
  deps: Pick<ServiceDeps, 'clock' | 'paymentStore'>,
  merchant: MerchantRow,
  input: CreateOrderInput,
  idempotencyRef: string | null,
) {
  const now = deps.clock.now();
  const row: OrderRow = {
    id: newId('order'),
    merchant_id: merchant.id,
    amount: input.amount,
    currency: input.currency,
    receipt: input.receipt ?? null,
    notes: input.notes ?? null,
    status: 'created',
    created_at: now,
    updated_at: now,
    idempotency_ref: idempotencyRef,
  };
  // Group commit: orders created together share one INSERT and one commit (see payment-store.ts).
  return toOrderDto(await deps.paymentStore.insertOrder(row));
}

export async function requireOrder(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string, field = 'id'): Promise<OrderRow> {
  const row = await findOrder({ db: deps.db, merchantId: merchant.id, id });
  if (!row) throw new PaygateError('NOT_FOUND_ERROR', `No order ${id} for this merchant.`, { field });
  return row;
}

export async function getOrder(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string) {
  return toOrderDto(await requireOrder(deps, merchant, id));
}

export async function listOrders(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, query: ListQueryInput) {
  const page = await listOrderRows({ db: deps.db, merchantId: merchant.id, ...query });
  return toListDto(page, query, toOrderDto);
}

/** What the checkout may see of an order: enough to show the amount, nothing else. */
export async function getCheckoutOrder(deps: Pick<ServiceDeps, 'db' | 'config'>, merchant: MerchantRow, id: string) {
  const order = await requireOrder(deps, merchant, id);
  return {
    id: order.id,
    amount: Number(order.amount),
    currency: order.currency,
    status: order.status,
    merchant_name: merchant.name,
    // The checkout shows its test banner and mock bank step only when magic values decide.
    test_mode: deps.config.testMode,
    upi_vpa: merchantUpiVpa(merchant),
  };
}

/**
 * The VPA a shopper's UPI app pays for this merchant (the QR code's `pa`): the gateway collects
 * for its merchants, as UPI gateways do, under a handle derived from the merchant id.
 */
function merchantUpiVpa(merchant: MerchantRow): string {
  return `paygate.${merchant.id.replace(/[^a-zA-Z0-9._-]/g, '').toLowerCase()}@paygate`;
}
