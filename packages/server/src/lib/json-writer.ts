import { isoTimestamp } from './iso-timestamp.js';

/**
 * How a field is written, decided by its type: the spec of a writer names a kind for every key,
 * and the compiler checks that each kind is the one its field's type calls for. `json` is
 * anything else (objects, arrays), written by `JSON.stringify`.
 */
export type JsonKind<V> = [V] extends [string]
  ? 'string'
  : [V] extends [string | null]
    ? 'string?'
    : [V] extends [number]
      ? 'number'
      : [V] extends [number | null]
        ? 'number?'
        : [V] extends [boolean]
          ? 'boolean'
          : [V] extends [Date]
            ? 'date'
            : [V] extends [Date | null]
              ? 'date?'
              : 'json';

/** A writer's spec: every key of `T`, in the order the text lists them, with its kind. */
export type JsonFields<T> = { readonly [K in keyof T]-?: JsonKind<T[K]> };

/**
 * `JSON.stringify` of an object of `T`'s shape, as the same text, or with `more` members
 * (JSON text that begins with a comma) before its closing brace. Only the spec's keys are
 * written, in its order; a Date is written as its `toISOString` (as `JSON.stringify` writes it,
 * through `toJSON`).
 */
export type JsonWriter<T> = (value: T, more?: string) => string;

/** Characters that `JSON.stringify` escapes in a string: quotes, backslashes, controls, surrogates (it escapes lone ones). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function dateText(d: Date): string {
  const ms = d.getTime();
  // An invalid Date's toJSON gives null, as JSON.stringify writes it.
  return ms === ms ? `"${isoTimestamp(d)}"` : 'null';
}

const numberText = (n: number) => (Number.isFinite(n) ? `${n}` : 'null');

/** A key this compiler puts into the code it makes: a plain identifier, nothing to escape. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The statements that write `o.key` onto `t`, or return the slow way when the value is not of its kind. */
function fieldCode(key: string, kind: string, first: boolean): string {
  const name = `${first ? '' : ','}"${key}":`;
  const load = `v = o.${key};`;
  const nullable = kind.endsWith('?');
  const base = nullable ? kind.slice(0, -1) : kind;
  const orNull = (code: string) => (nullable ? `if (v === null) t += '${name}null'; else { ${code} }` : code);
  switch (base) {
    case 'string':
      return `${load} ${orNull(`if (typeof v !== 'string') return slow(o, more); t += '${name}' + stringText(v);`)}`;
    case 'number':
      return `${load} ${orNull(`if (typeof v !== 'number') return slow(o, more); t += '${name}' + numberText(v);`)}`;
    case 'boolean':
      return `${load} if (typeof v !== 'boolean') return slow(o, more); t += v ? '${name}true' : '${name}false';`;
    case 'date':
      return `${load} ${orNull(`if (!(v instanceof Date)) return slow(o, more); t += '${name}' + dateText(v);`)}`;
    case 'json':
      return `${load} v = JSON.stringify(v); if (v === undefined) return slow(o, more); t += '${name}' + v;`;
    default:
      throw new TypeError(`json writer: field ${key} has kind ${kind}, which is none of string, number, boolean, date (each maybe ?) or json`);
  }
}

/**
 * Compiles a writer for objects of one shape: one statement per field, with the keys' text and
 * each value's conversion fixed in the code. Node 20's `JSON.stringify` takes its general path,
 * looking up every key and every value's type anew: a 25-key payment row cost 28,600
 * instructions with its flattening that way, and 15,600 this way (callgrind). A payment's rows
 * are serialized several times on their way (docs/performance.md, the thirty-fifth sitting).
 * The code is made with `new Function`, as fast-json-stringify makes Fastify's serializers, from
 * keys checked to be plain identifiers.
 *
 * A value not of its field's kind (a missing column, a string where a number was declared) sends
 * the whole object the slow way, `JSON.stringify` of the spec's keys, so the text is the same
 * either way.
 */
export function jsonWriter<T>(fields: JsonFields<T>): JsonWriter<T> {
  const entries = Object.entries(fields) as Array<[string, string]>;
  for (const [key] of entries) if (!PLAIN_KEY.test(key)) throw new TypeError(`json writer: key ${JSON.stringify(key)} is not a plain identifier`);
  const keys = entries.map(([key]) => key);

  const slow = (o: Record<string, unknown>, more: string) => {
    const picked: Record<string, unknown> = {};
    for (const key of keys) picked[key] = o[key];
    const text = JSON.stringify(picked);
    if (more === '') return text;
    return text === '{}' ? `{${more.slice(1)}}` : `${text.slice(0, -1)}${more}}`;
  };

  const body = entries.map(([key, kind], i) => fieldCode(key, kind, i === 0)).join('\n');
  const make = new Function(
    'slow',
    'stringText',
    'numberText',
    'dateText',
    `return function write(o, more = '') {\n let v; let t = '{';\n${body}\n return t + ${entries.length === 0 ? 'more.slice(1)' : 'more'} + '}';\n};`,
  ) as (...helpers: unknown[]) => JsonWriter<T>;
  return make(slow, stringText, numberText, dateText);
}
