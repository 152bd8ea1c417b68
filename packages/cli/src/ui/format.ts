import { formatMoney, isCurrencyCode } from '@paygate/core/domain';

/**
 * Human output of client commands: a key/value block for one object, a table for a list. Plain
 * text (no colour, no Ink), so it reads the same on a TTY, in a pipe and in a CI log; `--json`
 * bypasses it and prints the REST object itself.
 */

/** One line of a key/value block; `undefined` values are left out, `null` shows as `-`. */
export type Field = readonly [label: string, value: string | number | boolean | null | undefined];

const shown = (value: Field[1]): string => (value === null || value === '' ? '-' : String(value));

/** `label  value` lines, labels padded to one column. */
export function formatKeyValues(fields: readonly Field[]): string {
  const present = fields.filter(([, value]) => value !== undefined);
  const width = Math.max(0, ...present.map(([label]) => label.length));
  return present.map(([label, value]) => `${label.padEnd(width)}  ${shown(value)}`).join('\n');
}

/** A column of a table: its header and how to read a row's cell. */
export type Column<T> = readonly [header: string, cell: (row: T) => string | number | boolean | null | undefined];

/** A table with a header row, columns padded to their widest cell; a line saying so when empty. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], empty = 'Nothing to show.'): string {
  if (rows.length === 0) return empty;
  const cells = rows.map((row) => columns.map(([, cell]) => shown(cell(row) ?? null)));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([header]) => header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** `50000 INR` as `₹500.00 (50000)`: the major units people read, and the minor units the API takes. */
export function formatAmount(amount: number, currency: string): string {
  return isCurrencyCode(currency) ? `${formatMoney({ amount, currency })} (${amount})` : `${amount} ${currency}`;
}

/** The line under a page of a list: where it sits in the whole. */
export function formatPageFooter(page: { total: number; offset: number; data: readonly unknown[] }): string {
  if (page.total === 0 || page.data.length === 0) return '';
  return `${page.offset + 1}–${page.offset + page.data.length} of ${page.total}`;
}
