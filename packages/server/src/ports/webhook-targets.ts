/**
 * Why a webhook target is refused, in the one sentence both checks use (when the URL is saved,
 * and when the sender connects): it names the rule, never an address a name resolved to.
 */
export const PRIVATE_TARGET_REASON =
  "the webhook URL's host is, or resolves to, a loopback, private or reserved address, and a production gateway delivers only to public addresses";

/**
 * The save-time check of a webhook URL (services/merchants.ts), so that the merchant learns at
 * once. Answering needs DNS, hence a port: the adapter (adapters/webhook-sender/webhook-target.ts)
 * resolves the name, and tests can answer for it. The sender checks again at connect time, since
 * a name can resolve elsewhere later.
 */
export interface WebhookTargets {
  /** Whether the URL's host is, or resolves to, an address a production gateway must not deliver to. */
  isPrivate(url: string): Promise<boolean>;
}
