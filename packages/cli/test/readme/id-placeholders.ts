/**
 * A README's example ids (order_wZIOrjBDhV04M9q5, pay_qtkv75Mm2rRksxY8, the seed's
 * order_NXhj67fGH2jk9mPq, or an elided order_…) stand for objects that an earlier command of the
 * same file created. Substitution, per file:
 * - when the README shows an answer with a placeholder as its `id` (the order of the tour), that
 *   placeholder is the id the gateway really answered there;
 * - otherwise a placeholder, the first time it is used, is the latest real id of the same prefix
 *   that an earlier answer carried (its `id`, or a list's `data[].id`); later uses keep it.
 * A placeholder used before any object of its kind was answered is an error.
 */
const PLACEHOLDER = /\b(order|pay|rfnd|evt|whd)_(?:[0-9A-Za-z]{12,}|…)(?![0-9A-Za-z_])/g;
const ID_SHAPE = /^(order|pay|rfnd|evt|whd)_[0-9A-Za-z]{16}$/;

export const prefixOf = (id: string) => id.slice(0, id.indexOf('_'));
export const isPlaceholder = (value: string) => new RegExp(`^${PLACEHOLDER.source}$`).test(value);
export const isRealId = (value: string) => ID_SHAPE.test(value);

export class IdPlaceholders {
  private readonly real = new Map<string, string>();
  private readonly latest = new Map<string, string>();

  /** Replaces every placeholder in a command's argument. */
  substitute(text: string): string {
    return text.replace(PLACEHOLDER, (placeholder, prefix: string) => {
      const known = this.real.get(placeholder) ?? this.latest.get(prefix);
      if (!known) throw new Error(`${placeholder} is used before any earlier command answered a ${prefix}_ id`);
      this.real.set(placeholder, known);
      return known;
    });
  }

  /** The real id a placeholder stands for, if it is already known. */
  resolved(placeholder: string): string | undefined {
    return this.real.get(placeholder);
  }

  /** The README showed `placeholder` where the gateway answered `id`. */
  pair(placeholder: string, id: string): void {
    this.real.set(placeholder, id);
  }

  /** Remembers the ids an answer carries, as the candidates for later placeholders. */
  remember(answer: unknown): void {
    if (typeof answer !== 'object' || answer === null) return;
    const record = answer as { id?: unknown; data?: unknown };
    // A list is newest first: its first item is remembered last, so it is the latest.
    const items = Array.isArray(record.data) ? [...record.data].reverse().concat(record) : [record];
    for (const item of items) {
      const id = (item as { id?: unknown }).id;
      if (typeof id === 'string' && isRealId(id)) this.latest.set(prefixOf(id), id);
    }
  }
}
