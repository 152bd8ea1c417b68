import type { ListOf, Order } from '@paygate/client/rest';
import { formatAmount, formatKeyValues, formatPageFooter, formatTable } from '../format.js';

const notesOf = (notes: Record<string, string>) =>
  Object.entries(notes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export const orderBlock = (order: Order) =>
  formatKeyValues([
    ['Order', order.id],
    ['Status', order.status],
    ['Amount', formatAmount(order.amount, order.currency)],
    ['Receipt', order.receipt],
    ['Notes', notesOf(order.notes)],
    ['Created', order.created_at],
  ]);

export const orderTable = (page: ListOf<Order>) =>
  [
    formatTable(
      page.data,
      [
        ['id', (o) => o.id],
        ['status', (o) => o.status],
        ['amount', (o) => formatAmount(o.amount, o.currency)],
        ['receipt', (o) => o.receipt],
        ['created', (o) => o.created_at],
      ],
      'No orders.',
    ),
    formatPageFooter(page),
  ]
    .filter(Boolean)
    .join('\n');
