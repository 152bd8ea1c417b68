import type { Knex } from 'knex';
import { RECORD_DELIVERY_ATTEMPTS } from './operations/deliveries.js';
import { keepPlanned } from './operations/plan-cached.js';
import { PAYMENT_PATH_STATEMENTS } from './operations/payments.js';
import { RELAY_STATEMENTS } from './operations/relay.js';

/** The statements every payment runs, which the database keeps planned (see plan-cached.ts). */
export const PAYMENT_PATH_PLANNED = [...PAYMENT_PATH_STATEMENTS, RECORD_DELIVERY_ATTEMPTS, ...RELAY_STATEMENTS] as const;

/**
 * Has `db` keep the payment path's statements planned, creating the functions this version of
 * the gateway lacks (unless `create` is false: a process that runs no DDL); the statements wait
 * for that, and run as written should it fail, with `warn` told why and what to do. Called once
 * the schema is up to date: by `pg-cli migrate`, and by every gateway process as it starts.
 */
export function keepPaymentPathPlanned(db: Knex, { create, warn }: { create: boolean; warn: (message: string) => void }): Promise<boolean> {
  return keepPlanned(db, PAYMENT_PATH_PLANNED, {
    create,
    onError: (error) => {
      // tarn's "aborted": the database was closed before they were created; nothing runs on it any more.
      if (error instanceof Error && error.message === 'aborted') return;
      const denied = (error as { code?: string }).code === '42501';
      warn(
        `Payment statements whose functions are missing run as written, planned for every call (slower for a lone payment): ${String(error)}.` +
          (denied || !create ? " Run this version's `pg-cli migrate` (it creates their functions) with a role that may CREATE in the gateway's schema." : ''),
      );
    },
  });
}
