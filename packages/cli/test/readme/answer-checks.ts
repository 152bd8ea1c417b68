import { type IdPlaceholders, isPlaceholder, isRealId, prefixOf } from './id-placeholders.js';

/** The `entity` each kind of object must carry (packages/server/src/model/wire.ts). */
const ENTITY_OF_PREFIX: Record<string, string> = { order: 'order', pay: 'payment', rfnd: 'refund', whd: 'webhook_delivery' };
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Checks an answer against the one the README shows next to the command. Every field shown must
 * be there, with the same JSON type. Values:
 * - strings are equal, except `…` or anything containing it (any string), an ISO timestamp (any
 *   ISO timestamp), and an id placeholder (the real id it stands for; the first time, any id of
 *   the same prefix, which it then stands for);
 * - booleans and null are equal;
 * - numbers only have the type checked: they are examples (the seed shows 100 completed jobs),
 *   and the amounts a command sent are checked by checkEcho;
 * - `{…}` (shown as `{}`) is any object; an array's items are checked against its first shown item.
 * Returns the problems, as `path: what`.
 */
export function compareWithShown(shown: unknown, actual: unknown, ids: IdPlaceholders, path = '$'): string[] {
  if (typeof shown === 'string') {
    if (typeof actual !== 'string') return [`${path}: expected a string like ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
    if (shown.includes('…')) return [];
    if (ISO_TIMESTAMP.test(shown)) return ISO_TIMESTAMP.test(actual) ? [] : [`${path}: expected an ISO timestamp, got ${actual}`];
    if (isPlaceholder(shown)) {
      const real = ids.resolved(shown);
      if (real) return real === actual ? [] : [`${path}: expected ${real} (the README's ${shown}), got ${actual}`];
      if (!isRealId(actual) || prefixOf(actual) !== prefixOf(shown)) return [`${path}: expected a ${prefixOf(shown)}_ id, got ${actual}`];
      ids.pair(shown, actual);
      return [];
    }
    return shown === actual ? [] : [`${path}: expected ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
  }
  if (kindOf(shown) !== kindOf(actual)) return [`${path}: expected ${kindOf(shown)}, got ${JSON.stringify(actual)}`];
  if (Array.isArray(shown)) {
    const [first] = shown;
    return first === undefined ? [] : (actual as unknown[]).flatMap((item, i) => compareWithShown(first, item, ids, `${path}[${i}]`));
  }
  if (typeof shown === 'object' && shown !== null) {
    const got = actual as Record<string, unknown>;
    return Object.entries(shown).flatMap(([key, value]) =>
      key in got ? compareWithShown(value, got[key], ids, `${path}.${key}`) : [`${path}: no field ${key} (the README shows it)`],
    );
  }
  if (typeof shown === 'number') return [];
  return shown === actual ? [] : [`${path}: expected ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
}

/** Every object with an id of ours says what it is: `entity` matches the id's prefix. */
export function checkEntities(answer: unknown): string[] {
  if (typeof answer !== 'object' || answer === null) return [];
  const record = answer as { id?: unknown; entity?: unknown; data?: unknown };
  const problems: string[] = [];
  if (typeof record.id === 'string' && isRealId(record.id)) {
    const entity = ENTITY_OF_PREFIX[prefixOf(record.id)];
    if (entity && record.entity !== entity) problems.push(`${record.id}: entity is ${JSON.stringify(record.entity)}, expected "${entity}"`);
  }
  if (Array.isArray(record.data)) problems.push(...record.data.flatMap(checkEntities));
  return problems;
}

/** A list answers `{"data": [...], "total", "limit", "offset"}` (packages/server/README.md). */
export function checkListShape(answer: unknown): string[] {
  const list = answer as { data?: unknown; total?: unknown; limit?: unknown; offset?: unknown };
  const ok = Array.isArray(list?.data) && [list.total, list.limit, list.offset].every((n) => Number.isInteger(n));
  return ok ? [] : [`a list answers {data: [...], total, limit, offset}; got ${JSON.stringify(answer)}`];
}

/** What a command sent comes back: each top-level scalar of its JSON body that the answer also has is equal there. */
export function checkEcho(sentBody: string | undefined, answer: unknown): string[] {
  if (!sentBody || typeof answer !== 'object' || answer === null) return [];
  const sent = JSON.parse(sentBody) as Record<string, unknown>;
  const got = answer as Record<string, unknown>;
  return Object.entries(sent)
    .filter(([key, value]) => key in got && (value === null || typeof value !== 'object'))
    .flatMap(([key, value]) => (got[key] === value ? [] : [`sent ${key}=${JSON.stringify(value)}, the answer has ${JSON.stringify(got[key])}`]));
}

/** An error answer is `{"error": {"code", "description", "field"?}}`. */
export function checkErrorShape(answer: unknown): string[] {
  const error = (answer as { error?: { code?: unknown; description?: unknown } })?.error;
  return typeof error?.code === 'string' && typeof error.description === 'string'
    ? []
    : [`an error answers {error: {code, description}}; got ${JSON.stringify(answer)}`];
}
