import { DEFAULT_API_URL } from '../api/credentials.js';
import type { Paint } from './paint.js';

export type DevBannerInput = {
  url: string;
  mode: 'test' | 'development';
  dataDir: string;
  startupMs: number;
  apiKey: string;
  apiSecret: string;
  webhookSecret: string;
  /** Where the merchant's webhooks go, if anywhere yet. */
  webhookUrl: string | null;
};

/**
 * What `pg-cli dev` prints on a terminal once it serves, in the spirit of Vite and Next: where
 * everything is, the credentials to use, and the command to try next. The first line keeps
 * "ready" and the URL together, as the plain ready line does, for anyone who waits on it.
 */
export function devBanner(input: DevBannerInput, paint: Paint): string {
  const { url, mode } = input;
  const seconds = (input.startupMs / 1000).toFixed(1);
  const arrow = paint('green', '➜');
  const label = (text: string) => paint('bold', text.padEnd(11));
  const link = (path: string) => paint('cyan', `${url}${path}`);
  // Client commands find this gateway by themselves only on the default URL.
  const target = url === DEFAULT_API_URL ? '' : ` --api-url ${url}`;
  const next = mode === 'test' ? `pg-cli trigger payment.success${target}` : `pg-cli orders create --amount 50000${target}`;
  const lines = [
    '',
    `  ${paint(['bold', 'green'], 'Paygate')} ready at ${paint('cyan', url)} in ${seconds} s ${paint('dim', `(${mode} mode, data in ${input.dataDir})`)}`,
    '',
    `  ${arrow}  ${label('API')}${link('/api/v1')}`,
    `  ${arrow}  ${label('Docs')}${link('/docs')}`,
    `  ${arrow}  ${label('Dashboard')}${link('/dashboard')}`,
    `  ${arrow}  ${label('Checkout')}${link('/checkout?order_id=')}${paint('dim', '<order id>')}`,
    '',
    `  ${label('API key')}${input.apiKey}     ${paint('bold', 'API secret')} ${input.apiSecret}`,
    `  ${label('Webhooks')}${input.webhookSecret}  ${paint('dim', input.webhookUrl ? `→ ${input.webhookUrl}` : '(no URL yet: pg-cli webhooks config --url <your endpoint>)')}`,
    '',
    `  ${paint('bold', 'Try next')}   ${paint('cyan', next)}`,
    `             ${paint('cyan', `pg-cli dashboard${target}`)} ${paint('dim', 'to watch payments and webhooks live')}`,
    '',
    paint('dim', `  One line per request, settlement and webhook attempt below; --json for raw logs. Ctrl-C stops.`),
    '',
  ];
  return lines.join('\n');
}
