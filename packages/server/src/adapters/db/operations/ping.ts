import type { Knex } from 'knex';

/** Throws unless the database answers a trivial query now (readiness). */
export async function pingDatabase({ db }: { db: Knex }): Promise<void> {
  await db.raw('select 1');
}
