import type { Knex } from 'knex';
import { createGroupCommit } from '../../lib/batcher.js';
import { requestBatchLimits } from '../../lib/statements-at-once.js';
import type { Metrics } from '../../metrics.js';
import type { OrderRow } from '../../model/rows.js';
import type { InsertedPayment, OrderKey, PaymentStore, PaymentToInsert } from '../../ports/payment-store.js';
import { findOrder, findOrders, insertOrder, insertOrders } from './operations/orders.js';
import { insertPaymentWithEvents, insertPaymentsWithEvents } from './operations/payments.js';
import { RecentOrders } from './recent-orders.js';

/**
 * While a statement of a kind runs, the next waits this long for more requests: a lone request
 * still goes at once, and under load the statements grow instead of multiplying (see the
 * settlement's same wait in payment.worker.ts, and why 10 ms there).
 */
const LINGER_WHILE_BUSY_MS = 10;
/**
 * New orders a statement starts with, from inside the turn that reads their requests, rather than
 * the whole turn's at its end. A burst of requests read at once was one statement: the API then
 * had nothing to do until it committed, and PostgreSQL nothing while the API answered and read
 * the next burst (at 50 connections, one statement in flight most of the time, 40 orders or more
 * each, and the API's thread idle a quarter of the run). Started at 20, the database works on a
 * burst's first orders while the API handles the rest: 16 % more orders a second over 10
 * alternated pairs, for 2.3 times the transactions (forty-third sitting, docs/performance.md).
 * At 8, on the forty-second sitting's host, the orders a second moved within its noise. On the
 * embedded engine (one statement at a time) the first 20 go while the gateway's thread reads the
 * rest: 11.0k–13.2k orders a second against 9.1k–12.0k, 3 alternated pairs.
 */
const NEW_ORDERS_START_AT = 20;
/**
 * Orders remembered for the payments that follow them (a few seconds of orders at full load, an
 * hour or more of a shop's; a few megabytes).
 */
const RECENT_ORDERS = 10_000;

/** Inserts a batch of new payments in one statement. */
function insertPaymentBatch(db: Knex, batch: PaymentToInsert[]) {
  const { orderMove } = batch[0]!;
  const leased = batch[0]!.leaseUntil !== undefined;
  // One statement takes one order move, and leases all its deliveries or none: a batch that mixes them goes one payment at a time.
  if (batch.some((p) => p.orderMove !== orderMove || (p.leaseUntil !== undefined) !== leased))
    throw new Error('payments with different order moves or leases cannot share a statement');
  return insertPaymentsWithEvents({
    db,
    payments: batch,
    orderFrom: orderMove.from,
    orderTo: orderMove.to,
    // realNow stamps the deliveries as queued: each payment was stamped when it was built
    realNow: batch[0]!.row.enqueued_at!,
    // The earliest of the batch's leases (they differ by the milliseconds between the requests).
    leaseUntil: leased ? new Date(Math.min(...batch.map((p) => p.leaseUntil!.getTime()))) : undefined,
  });
}

/**
 * Inserts one payment (the idle case): the batch statement's function where the database keeps it
 * planned, else the prepared single-row statement.
 */
function insertOnePayment(db: Knex, p: PaymentToInsert) {
  return insertPaymentWithEvents({
    db,
    row: p.row,
    rowJson: p.rowJson,
    events: p.events,
    orderFrom: p.orderMove.from,
    orderTo: p.orderMove.to,
    realNow: p.row.enqueued_at!,
    leaseUntil: p.leaseUntil,
  });
}

/**
 * The payment path's store with group commit: the requests in flight together share one order
 * lookup and one INSERT statement (a round trip and a commit each). Idle, each call runs alone at
 * once; under load, statements grow with the backlog. Make one per database handle.
 */
export function createPaymentStore({ db, metrics }: { db: Knex; metrics: Pick<Metrics, 'batchSize'> }): PaymentStore {
  const limits = requestBatchLimits(db);
  // The payment path's statements wait for company while busy; a new order's answer does not
  // (a POST /orders client at 50 connections waits for each, so the wait would cap it).
  const paymentLimits = { ...limits, lingerWhileBusyMs: LINGER_WHILE_BUSY_MS };
  // Each kind: several by one statement, one alone by its own (a prepared lookup or single-row
  // insert), and each alone should a batch fail, so one bad row fails only its own request.
  const orders = createGroupCommit<OrderKey, OrderRow | undefined>({
    many: (keys) => findOrders({ db, keys }),
    one: (key) => findOrder({ db, ...key }),
    ...paymentLimits,
    onBatch: (n) => metrics.batchSize.observe({ batch: 'order_lookup' }, n),
  });
  const payments = createGroupCommit<PaymentToInsert, InsertedPayment>({
    many: (batch) => insertPaymentBatch(db, batch),
    one: (payment) => insertOnePayment(db, payment),
    ...paymentLimits,
    onBatch: (n) => metrics.batchSize.observe({ batch: 'payment_insert' }, n),
  });
  const newOrders = createGroupCommit<OrderRow, OrderRow>({
    many: (rows) => insertOrders({ db, rows }),
    one: (row) => insertOrder({ db, row }),
    ...limits,
    startAt: NEW_ORDERS_START_AT,
    onBatch: (n) => metrics.batchSize.observe({ batch: 'order_insert' }, n),
  });
  const recent = new RecentOrders(RECENT_ORDERS);
  const remembered = <T extends OrderRow | undefined>(row: T): T => {
    if (row) recent.remember(row);
    return row;
  };
  return {
    insertOrder: async (row) => remembered((await newOrders.add([row]))[0]!),
    findOrder: async (key) => remembered((await orders.add([key]))[0]),
    recentOrder: (key) => recent.get(key),
    insertPayment: async (payment) => (await payments.add([payment]))[0]!,
  };
}
