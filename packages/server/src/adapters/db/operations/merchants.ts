import type { Knex } from 'knex';
import type { MerchantRow } from '../../../model/rows.js';

type Db = Knex | Knex.Transaction;

export async function findMerchantByApiKey({ db, apiKey }: { db: Db; apiKey: string }): Promise<MerchantRow | undefined> {
  return db<MerchantRow>('merchants').where({ api_key: apiKey }).first();
}

export async function findMerchantById({ db, id }: { db: Db; id: string }): Promise<MerchantRow | undefined> {
  return db<MerchantRow>('merchants').where({ id }).first();
}

/** Inserts a merchant; `onConflict: 'ignore'` makes seeding the test merchant idempotent. */
export async function insertMerchant({ db, row, ignoreExisting = false }: { db: Db; row: MerchantRow; ignoreExisting?: boolean }): Promise<boolean> {
  const q = db<MerchantRow>('merchants').insert(row);
  const inserted = ignoreExisting ? await q.onConflict().ignore().returning('id') : await q.returning('id');
  return inserted.length > 0;
}

export async function updateMerchantWebhook({
  db,
  id,
  changes,
  now,
}: {
  db: Db;
  id: string;
  changes: Partial<Pick<MerchantRow, 'webhook_url' | 'webhook_events' | 'webhook_enabled'>>;
  now: Date;
}): Promise<MerchantRow | undefined> {
  const [row] = await db<MerchantRow>('merchants')
    .where({ id })
    .update({ ...changes, updated_at: now })
    .returning('*');
  return row;
}

/** The current secret becomes the previous one, valid until `previousExpiresAt`. */
export async function rotateMerchantWebhookSecret({
  db,
  id,
  secret,
  previousExpiresAt,
  now,
}: {
  db: Db;
  id: string;
  secret: string;
  previousExpiresAt: Date;
  now: Date;
}): Promise<MerchantRow | undefined> {
  const [row] = await db<MerchantRow>('merchants')
    .where({ id })
    .update({
      previous_webhook_secret: db.ref('webhook_secret') as unknown as string,
      previous_webhook_secret_expires_at: previousExpiresAt,
      webhook_secret: secret,
      updated_at: now,
    })
    .returning('*');
  return row;
}

/**
 * Disables the endpoint after a `410 Gone`, only if the merchant's URL is still the one that
 * answered: a URL saved meanwhile is a new endpoint, and stays enabled.
 *
 * @returns whether it was disabled.
 */
export async function disableWebhookEndpoint({ db, id, url, now }: { db: Db; id: string; url: string; now: Date }): Promise<boolean> {
  const updated = await db<MerchantRow>('merchants').where({ id, webhook_url: url, webhook_enabled: true }).update({ webhook_enabled: false, updated_at: now });
  return updated > 0;
}
