import type { Knex } from 'knex';

// The resources a request with an Idempotency-Key creates. Each carries the key record's
// idempotency_ref, written by the very statement that creates it: the recovery point.
const CREATED = ['orders', 'payments', 'refunds'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.text('idempotency_ref')
      .nullable()
      .comment(
        'Random reference the created resource carries (orders/payments/refunds.idempotency_ref). A retry that takes over a key left in flight by a crash finds that resource by it and replays it, instead of creating another. Kept across such take-overs; new when an expired key is reused.',
      );
  });
  await knex.raw(
    "COMMENT ON COLUMN idempotency_keys.request_hash IS 'Fingerprint of the request: HMAC-SHA256 (key PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY, never stored here) of the canonical body without the CVV; a different body is a 422.'",
  );
  for (const table of CREATED) {
    await knex.schema.alterTable(table, (t) => {
      t.text('idempotency_ref')
        .nullable()
        .comment('idempotency_keys.idempotency_ref of the request that created this row (with an Idempotency-Key), else NULL.');
    });
    // Unique: one resource per key record, even when a slow first request and a retry that took
    // its key over both get as far as the insert.
    await knex.raw(`CREATE UNIQUE INDEX ${table}_idempotency_ref_key ON ${table} (idempotency_ref) WHERE idempotency_ref IS NOT NULL`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...CREATED].reverse()) {
    await knex.raw(`DROP INDEX ${table}_idempotency_ref_key`);
    await knex.schema.alterTable(table, (t) => t.dropColumn('idempotency_ref'));
  }
  await knex.raw("COMMENT ON COLUMN idempotency_keys.request_hash IS 'SHA-256 of the canonical request body; a different body is a 422.'");
  await knex.schema.alterTable('idempotency_keys', (t) => t.dropColumn('idempotency_ref'));
}
