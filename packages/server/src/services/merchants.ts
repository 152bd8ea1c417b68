import { hash, timingSafeEqual } from 'node:crypto';
import {
  PaygateError,
  generateApiKey,
  generateApiSecret,
  generateWebhookSecret,
  newId,
  type CreateMerchantInput,
  type WebhookConfigInput,
} from '@paygate/core';
import {
  findMerchantByApiKey,
  findMerchantById,
  insertMerchant,
  rotateMerchantWebhookSecret,
  updateMerchantWebhook,
} from '../adapters/db/operations/merchants.js';
import type { MerchantRow } from '../model/rows.js';
import { createRefreshingCache } from '../lib/refreshing-cache.js';
import { PRIVATE_TARGET_REASON } from '../ports/webhook-targets.js';
import type { ServiceDeps } from './service-deps.js';

/** The seed's test merchant: these credentials exist in development and test mode. */
export const SEED_MERCHANT = {
  id: 'merch_SeedTestMerchant',
  name: 'Test Merchant',
  email: 'test@example.com',
  apiKey: 'key_test_abc123',
  apiSecret: 'secret_test_xyz789',
  webhookSecret: 'whsec_test_abc123',
} as const;

/** The seed merchant's webhook settings as first created, and as `POST /test/reset` puts them back. */
export const SEED_WEBHOOK_SETTINGS = {
  webhook_url: null,
  webhook_secret: SEED_MERCHANT.webhookSecret,
  previous_webhook_secret: null,
  previous_webhook_secret_expires_at: null,
  webhook_events: null,
  webhook_enabled: true,
} as const;

/**
 * core's rule for API secrets (`hashApiSecret`: SHA-256 of the secret's UTF-8; stored as hex),
 * with node:crypto's one-shot SHA-256 (a string is hashed as UTF-8), as bytes. It runs on every
 * authenticated request, where WebCrypto's async round trip and hex text made and decoded again
 * cost 5.4 µs against 2.2 (3 % of the API's CPU on `POST /orders`), and a Hash object 2.3–2.7 µs
 * against 1.6–1.7 for `hash()`; the tests hold it to core's rule.
 */
export const secretDigest = (secret: string): Buffer => hash('sha256', secret, 'buffer');

// Compared against when the key is unknown, so a wrong key costs the same as a wrong secret.
const DUMMY_HASH = Buffer.alloc(32);

// The seed's credentials are public (they are in its README): a hint only where they exist.
const invalidCredentials = (seedExists: boolean) =>
  new PaygateError(
    'AUTHENTICATION_ERROR',
    seedExists
      ? `Invalid API key or secret. Send X-Api-Key and X-Api-Secret (test mode: ${SEED_MERCHANT.apiKey} / ${SEED_MERCHANT.apiSecret}).`
      : 'Invalid API key or secret. Send the X-Api-Key and X-Api-Secret your merchant account was given.',
  );

/**
 * Looks merchants up by API key with a short cache (auth runs on every request); the cache only
 * serves authentication, never webhook settings, which are read fresh where they are used. A key
 * in use is read again before its entry expires, so requests do not wait for the database after
 * the first (lib/refreshing-cache.ts).
 *
 * @remarks Where the seed merchant must not exist (production), its public key is refused even if
 * a row for it was left in the database by an earlier test-mode run. `resetEpoch` (test mode: the
 * shared clock's count of `POST /api/v1/test/reset`) empties the cache when it changes, so a
 * merchant the reset deleted is refused at once in the process that reset, and in every other
 * process as soon as it re-reads the clock row (every 250 ms), not after the TTL.
 */
export function createMerchantAuthenticator(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  options: {
    ttlMs?: number;
    now?: () => number;
    resetEpoch?: (() => number) | undefined;
    /** The read by key (default: the merchants table; a test's stand-in). */
    find?: (apiKey: string) => Promise<MerchantRow | undefined>;
  } = {},
) {
  const seedExists = deps.config.seedTestMerchant;
  const find = options.find ?? ((apiKey: string) => findMerchantByApiKey({ db: deps.db, apiKey }));
  // `digest`: the row's api_secret_hash as bytes, decoded once per read rather than per request.
  const cache = createRefreshingCache({
    ttlMs: options.ttlMs ?? 5_000,
    ...(options.now ? { now: options.now } : {}),
    load: async (apiKey): Promise<{ row: MerchantRow | undefined; digest: Buffer }> => {
      const row = !seedExists && apiKey === SEED_MERCHANT.apiKey ? undefined : await find(apiKey);
      return { row, digest: row ? Buffer.from(row.api_secret_hash, 'hex') : DUMMY_HASH };
    },
  });
  let cachedEpoch = options.resetEpoch?.();

  function lookup(apiKey: string): Promise<{ row: MerchantRow | undefined; digest: Buffer }> {
    const epoch = options.resetEpoch?.();
    // A reset may have deleted what is kept, or what a read in flight will return: neither is kept.
    if (epoch !== cachedEpoch) {
      cache.clear();
      cachedEpoch = epoch;
    }
    return cache.get(apiKey);
  }

  return {
    /** Key + secret (merchant servers). */
    async authenticate(apiKey: string | undefined, apiSecret: string | undefined): Promise<MerchantRow> {
      if (!apiKey || !apiSecret) {
        throw new PaygateError('AUTHENTICATION_ERROR', `Missing ${!apiKey ? 'X-Api-Key' : 'X-Api-Secret'} header. Send both X-Api-Key and X-Api-Secret.`);
      }
      const { row, digest } = await lookup(apiKey);
      const given = secretDigest(apiSecret);
      // A stored hash of another length (a row written by hand) is a mismatch, not a crash.
      const matches = given.length === digest.length && timingSafeEqual(given, digest);
      if (!row || !matches) throw invalidCredentials(seedExists);
      return row;
    },
    /** Key only (the checkout, where a browser must never hold the secret). */
    async authenticateKey(apiKey: string | undefined): Promise<MerchantRow> {
      if (!apiKey) throw new PaygateError('AUTHENTICATION_ERROR', 'Missing X-Api-Key header.');
      const { row } = await lookup(apiKey);
      if (!row) throw new PaygateError('AUTHENTICATION_ERROR', 'Invalid API key.');
      return row;
    },
  };
}
export type MerchantAuthenticator = ReturnType<typeof createMerchantAuthenticator>;

/** Creates the seed's test merchant if it is missing. */
export async function seedTestMerchant(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<void> {
  const now = deps.clock.now();
  await insertMerchant({
    db: deps.db,
    ignoreExisting: true,
    row: {
      id: SEED_MERCHANT.id,
      name: SEED_MERCHANT.name,
      email: SEED_MERCHANT.email,
      api_key: SEED_MERCHANT.apiKey,
      api_secret_hash: secretDigest(SEED_MERCHANT.apiSecret).toString('hex'),
      ...SEED_WEBHOOK_SETTINGS,
      is_test: true,
      created_at: now,
      updated_at: now,
    },
  });
}

/** A new tenant; its secrets are returned once and only the API secret's hash is kept. */
export async function createMerchant(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>, input: CreateMerchantInput) {
  const now = deps.clock.now();
  const apiSecret = generateApiSecret();
  const row: MerchantRow = {
    id: newId('merchant'),
    name: input.name,
    email: input.email,
    api_key: generateApiKey(deps.config.testMode ? 'test' : 'live'),
    api_secret_hash: secretDigest(apiSecret).toString('hex'),
    webhook_url: null,
    webhook_secret: generateWebhookSecret(),
    previous_webhook_secret: null,
    previous_webhook_secret_expires_at: null,
    webhook_events: null,
    webhook_enabled: true,
    is_test: deps.config.testMode,
    created_at: now,
    updated_at: now,
  };
  const inserted = await insertMerchant({ db: deps.db, row, ignoreExisting: true });
  if (!inserted) {
    throw new PaygateError('BAD_REQUEST_ERROR', `A merchant with email ${input.email} already exists.`, { field: 'email' });
  }
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    api_key: row.api_key,
    api_secret: apiSecret,
    webhook_secret: row.webhook_secret,
    created_at: now.toISOString(),
  };
}

/** The webhook settings as the API shows them (the secret is shown: it is needed to verify). */
export function toWebhookConfigDto(m: MerchantRow, now: Date) {
  const previousValid = m.previous_webhook_secret_expires_at && m.previous_webhook_secret_expires_at > now;
  return {
    webhook_url: m.webhook_url,
    enabled: m.webhook_enabled,
    events: m.webhook_events,
    webhook_secret: m.webhook_secret,
    previous_secret_expires_at: previousValid ? m.previous_webhook_secret_expires_at!.toISOString() : null,
  };
}

/** The webhook settings, read fresh: the authenticated row may be a few seconds old (auth's cache). */
export async function getWebhookConfig(deps: Pick<ServiceDeps, 'db' | 'clock'>, merchant: MerchantRow) {
  const fresh = await findMerchantById({ db: deps.db, id: merchant.id });
  return toWebhookConfigDto(fresh!, deps.clock.now());
}

/**
 * Saves the merchant's webhook settings. In production a URL whose host is, or resolves to, a
 * private address is refused here, so the merchant learns at once; the sender checks again at
 * connect time, since a name can resolve elsewhere later.
 */
export async function updateWebhookConfig(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config' | 'webhookTargets'>,
  merchant: MerchantRow,
  input: WebhookConfigInput & { events?: readonly string[] | null | undefined },
) {
  if (input.webhook_url && !deps.config.allowPrivateWebhookTargets && (await deps.webhookTargets.isPrivate(input.webhook_url))) {
    throw new PaygateError('BAD_REQUEST_ERROR', `webhook_url is refused: ${PRIVATE_TARGET_REASON}. Use your endpoint's public URL.`, {
      field: 'webhook_url',
    });
  }
  const now = deps.clock.now();
  const changes: Parameters<typeof updateMerchantWebhook>[0]['changes'] = { webhook_url: input.webhook_url };
  if (input.enabled !== undefined) changes.webhook_enabled = input.enabled;
  else if (input.webhook_url) changes.webhook_enabled = true; // saving a URL re-enables an endpoint disabled by a 410
  if (input.events !== undefined) changes.webhook_events = input.events ? [...input.events] : null;
  const row = await updateMerchantWebhook({ db: deps.db, id: merchant.id, changes, now });
  return toWebhookConfigDto(row!, now);
}

export async function regenerateWebhookSecret(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>, merchant: MerchantRow) {
  const now = deps.clock.now();
  const previousExpiresAt = new Date(now.getTime() + deps.config.secretRotationGraceSeconds * 1000);
  const row = await rotateMerchantWebhookSecret({ db: deps.db, id: merchant.id, secret: generateWebhookSecret(), previousExpiresAt, now });
  return toWebhookConfigDto(row!, now);
}
