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

/**
 * Number of base62 characters after the prefix. (Named before ids began with their second: the
 * first `ID_TIME_LENGTH` of them tell it, the rest are random; see `newId`.)
 */
export const ID_RANDOM_LENGTH = 16;

const BASE62_RUN = new RegExp(`^[${BASE62_ALPHABET}]{${ID_RANDOM_LENGTH}}$`);

/** A regular expression matching exactly the ids of `kind` (for route and JSON schemas). */
export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{${ID_RANDOM_LENGTH}}$`);
}

/** Leading characters of an id that tell the second it was made (base36, see `newId`). */
const ID_TIME_LENGTH = 6;

// Seconds are counted from 2020-01-01T00:00:00Z and wrap after 36^6 of them (69 years, in 2088):
// the time part is for where an id lands in an index, never read back, so wrapping costs nothing.
const ID_EPOCH_MS = Date.UTC(2020, 0, 1);
const ID_TIME_WRAP = 36 ** ID_TIME_LENGTH;
let timePartSecond = Number.NaN;
let timePart = '';

/** The base36 time part for `nowMs`, memoised: a second's ids all share it. */
function idTimePart(nowMs: number): string {
  const second = Math.floor((nowMs - ID_EPOCH_MS) / 1000);
  if (second !== timePartSecond) {
    timePartSecond = second;
    timePart = (((second % ID_TIME_WRAP) + ID_TIME_WRAP) % ID_TIME_WRAP).toString(36).padStart(ID_TIME_LENGTH, '0');
  }
  return timePart;
}

/**
 * A new id for `kind`: the prefix, `_`, then 16 base62 characters: 6 that tell the second it was
 * made and 10 from a CSPRNG (≈ 60 bits, as unguessable as a second's ids need to be).
 *
 * Why not 16 random characters: a primary key is a B-tree, and a random key lands on a random leaf
 * page. On a large table each insert then touches a page no recent insert did (out of cache,
 * and, the first time after each checkpoint, copied whole into the WAL: 8 KB for a 40-byte
 * entry). With the second first, a second's ids land on the same few pages at the right of the
 * index, as KSUIDs and UUIDv7 do. The time part is lower-case base36 so that ids sort by time under
 * any collation (`en_US` orders `a` with `A`, `C` orders `Z` before `a`), and within a second the
 * random part keeps ids unordered: an id tells its second, not its rank.
 *
 * Pass `randomBytes` and `nowMs` to make it deterministic in tests.
 */
export function newId<K extends IdKind>(kind: K, randomBytes: RandomBytes = cryptoRandomBytes, nowMs: number = Date.now()): IdOf<K> {
  return `${ID_PREFIXES[kind]}_${idTimePart(nowMs)}${randomBase62(ID_RANDOM_LENGTH - ID_TIME_LENGTH, randomBytes)}` as IdOf<K>;
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
