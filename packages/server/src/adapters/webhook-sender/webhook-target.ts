import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WebhookTargets } from '../../ports/webhook-targets.js';
import { isPrivateAddress } from './private-addresses.js';

/** Every address a host name resolves to (the system resolver unless a test injects one). */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>;

const systemResolve: ResolveHost = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Whether a webhook URL's host is, or resolves to, an address a production gateway must not
 * deliver to. Used when the URL is saved, to say so at once; the sender checks again at connect
 * time (a name can resolve elsewhere later: DNS rebinding).
 *
 * @remarks A name that does not resolve (yet), or not within `timeoutMs`, is not refused here: it
 * cannot be judged, and the connect-time check still guards every delivery.
 */
export async function isPrivateWebhookTarget(url: string, options: { resolve?: ResolveHost; timeoutMs?: number } = {}): Promise<boolean> {
  // "localhost." is "localhost": the root label's dot must not make a name look different.
  const hostname = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(hostname)) return isPrivateAddress(hostname);
  const resolve = options.resolve ?? systemResolve;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<readonly string[]>((resolveEmpty) => {
    timer = setTimeout(() => resolveEmpty([]), options.timeoutMs ?? 3_000);
  });
  try {
    const addresses = await Promise.race([resolve(hostname), timeout]);
    return addresses.some((address) => isPrivateAddress(address));
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The services' {@link WebhookTargets} port: {@link isPrivateWebhookTarget} on the system resolver unless `resolve` is given. */
export function createWebhookTargets(options: { resolve?: ResolveHost } = {}): WebhookTargets {
  return { isPrivate: (url) => isPrivateWebhookTarget(url, options) };
}
