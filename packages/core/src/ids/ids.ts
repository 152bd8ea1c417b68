import { PaygateError } from '../errors/paygate-error.js';
import { BASE62_ALPHABET, cryptoRandomBytes, randomBase62, type RandomBytes } from '../internal/random.js';

/** Id prefix per resource kind; an id is `<prefix>_` + 16 base62 characters. */
export const ID_PREFIXES = {
  order: 'order',
  payment: 'pay',
  refund: 'rfnd',
  event: 'evt',
  delivery: 'whd',
  merchant: 'merch',
} as const;

/** A kind of resource that has an id: `'order' | 'payment' | …`. */
export type IdKind = keyof typeof ID_PREFIXES;

/** The template-literal id type for a kind, e.g. `IdOf<'payment'>` is `` `pay_${string}` ``. */
export type IdOf<K extends IdKind> = `${(typeof ID_PREFIXES)[K]}_${string}`;

/** An order id, `order_` + 16 base62 characters. */
export type OrderId = `order_${string}`;
/** A payment id, `pay_` + 16 base62 characters. */
export type PaymentId = `pay_${string}`;
/** A refund id, `rfnd_` + 16 base62 characters. */
export type RefundId = `rfnd_${string}`;
/** An event id, `evt_` + 16 base62 characters; the same on every delivery attempt of the event. */
export type EventId = `evt_${string}`;
/** A webhook delivery id, `whd_` + 16 base62 characters. */
export type DeliveryId = `whd_${string}`;
/** A merchant id, `merch_` + 16 base62 characters. */
export type MerchantId = `merch_${string}`;

/** Number of random base62 characters after the prefix. */
export const ID_RANDOM_LENGTH = 16;

const BASE62_RUN = new RegExp(`^[${BASE62_ALPHABET}]{${ID_RANDOM_LENGTH}}$`);

/** A regular expression matching exactly the ids of `kind` (for route and JSON schemas). */
export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{${ID_RANDOM_LENGTH}}$`);
}

/**
 * A new id for `kind`: the prefix, `_`, and 16 base62 characters from a CSPRNG (≈ 95 bits).
 * Pass `randomBytes` to make it deterministic in tests.
 */
export function newId<K extends IdKind>(kind: K, randomBytes: RandomBytes = cryptoRandomBytes): IdOf<K> {
  return `${ID_PREFIXES[kind]}_${randomBase62(ID_RANDOM_LENGTH, randomBytes)}` as IdOf<K>;
}

/** Whether `value` is a well-formed id of `kind` (right prefix, exactly 16 base62 characters). */
export function isId<K extends IdKind>(kind: K, value: unknown): value is IdOf<K> {
  if (typeof value !== 'string') return false;
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && BASE62_RUN.test(value.slice(prefix.length));
}

/**
 * `value` typed as an id of `kind`, or a `BAD_REQUEST_ERROR` naming `field` and the expected
 * shape (for example `order_id must be an order id like order_XXXXXXXXXXXXXXXX…`).
 */
export function parseId<K extends IdKind>(kind: K, value: unknown, field = 'id'): IdOf<K> {
  if (isId(kind, value)) return value;
  throw new PaygateError('BAD_REQUEST_ERROR', describeBadId(kind, value, field), { field });
}

/** The teaching message for a malformed id; shared with the input schemas. */
export function describeBadId(kind: IdKind, value: unknown, field: string): string {
  const prefix = `${ID_PREFIXES[kind]}_`;
  const expected = `${field} must be ${article(kind)} ${kind} id: '${prefix}' followed by ${ID_RANDOM_LENGTH} letters or digits (e.g. ${prefix}${'X'.repeat(ID_RANDOM_LENGTH)})`;
  if (typeof value !== 'string') return `${expected}, not ${value === null ? 'null' : typeof value}`;
  const otherKind = (Object.keys(ID_PREFIXES) as IdKind[]).find((k) => k !== kind && value.startsWith(`${ID_PREFIXES[k]}_`));
  if (otherKind !== undefined) return `${expected}; '${truncate(value)}' is ${article(otherKind)} ${otherKind} id`;
  return `${expected}; got '${truncate(value)}'`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
