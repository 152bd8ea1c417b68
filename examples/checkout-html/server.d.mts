export type CheckoutExampleOptions = {
  gatewayUrl?: string;
  port?: number;
  host?: string;
  apiKey?: string;
  apiSecret?: string;
  amount?: number;
};
/** Starts the example shop (see server.mjs). */
export declare function startCheckoutExample(options?: CheckoutExampleOptions): Promise<{ url: string; close: () => Promise<void> }>;
