import type { Knex } from 'knex';

/**
 * The event stream's resume cursor: `(commit_txid, stream_seq)`. A bigserial alone is not commit
 * order (a transaction that took a lower number can commit after a reader passed it); the
 * inserting transaction's id is, once it is below the oldest transaction still running
 * (`pg_snapshot_xmin`): no row can appear below that line any more. See list-events-after.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE events ADD COLUMN commit_txid xid8, ADD COLUMN stream_seq bigint');
  // Events older than this migration count as one early transaction, in their old stream order.
  await knex.raw(`UPDATE events SET commit_txid = '0'::xid8, stream_seq = o.n
                    FROM (SELECT id, row_number() OVER (ORDER BY created_at, sequence, id) AS n FROM events) o
                   WHERE o.id = events.id`);
  await knex.raw('CREATE SEQUENCE events_stream_seq_seq OWNED BY events.stream_seq');
  await knex.raw("SELECT setval('events_stream_seq_seq', COALESCE((SELECT max(stream_seq) FROM events), 0) + 1, false)");
  await knex.raw(`ALTER TABLE events
                    ALTER COLUMN commit_txid SET DEFAULT pg_current_xact_id(), ALTER COLUMN commit_txid SET NOT NULL,
                    ALTER COLUMN stream_seq SET DEFAULT nextval('events_stream_seq_seq'), ALTER COLUMN stream_seq SET NOT NULL`);
  await knex.raw(
    "COMMENT ON COLUMN events.commit_txid IS 'Id of the transaction that inserted the event: the event stream''s order, final once below pg_snapshot_xmin.'",
  );
  await knex.raw("COMMENT ON COLUMN events.stream_seq IS 'Insertion order, to order the events of one transaction in the stream.'");
  await knex.raw('CREATE INDEX events_merchant_stream_idx ON events (merchant_id, commit_txid, stream_seq)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX events_merchant_stream_idx');
  await knex.raw('ALTER TABLE events DROP COLUMN stream_seq, DROP COLUMN commit_txid');
}
