import type { ListOf, WebhookConfig, WebhookDelivery } from '@paygate/client/rest';
import { formatKeyValues, formatPageFooter, formatTable } from '../format.js';

/** What a delivery's data is about: the payment or refund id. */
const subjectOf = (d: WebhookDelivery) => {
  const data = d.payload.data as { payment?: { id?: string }; refund?: { id?: string } };
  return data.refund?.id ?? data.payment?.id ?? '';
};

export const deliveryTable = (page: ListOf<WebhookDelivery>) =>
  [
    formatTable(
      page.data,
      [
        ['id', (d) => d.id],
        ['event', (d) => d.event],
        ['status', (d) => d.status],
        ['attempts', (d) => d.attempts],
        ['code', (d) => d.response_code],
        ['object', subjectOf],
        ['last attempt', (d) => d.last_attempt_at],
        ['next attempt', (d) => d.next_attempt_at],
      ],
      'No webhook deliveries.',
    ),
    formatPageFooter(page),
  ]
    .filter(Boolean)
    .join('\n');

export const deliveryBlock = (d: WebhookDelivery) =>
  [
    formatKeyValues([
      ['Delivery', d.id],
      ['Event', `${d.event} (${d.event_id})`],
      ['Object', subjectOf(d)],
      ['Status', d.status],
      ['Attempts', d.attempts],
      ['Response code', d.response_code],
      ['Last attempt', d.last_attempt_at],
      ['Next attempt', d.next_attempt_at ?? undefined],
      ['Created', d.created_at],
    ]),
    '',
    formatTable(
      d.attempt_log,
      [
        ['#', (a) => a.attempt],
        ['at', (a) => a.attempted_at],
        ['status', (a) => a.status_code ?? a.error],
        ['ms', (a) => a.latency_ms],
        ['response', (a) => (a.response_body ?? '').replace(/\s+/g, ' ').slice(0, 60)],
      ],
      'No attempts yet.',
    ),
    '',
    'Payload:',
    JSON.stringify(d.payload, null, 2),
  ].join('\n');

export const webhookConfigBlock = (c: WebhookConfig) =>
  formatKeyValues([
    ['URL', c.webhook_url],
    ['Enabled', c.enabled ? 'yes' : 'no (a 410 disabled it; saving the URL enables it again)'],
    ['Events', c.events ? c.events.join(', ') : 'all'],
    ['Secret', c.webhook_secret],
    ['Previous secret valid until', c.previous_secret_expires_at ?? undefined],
  ]);
