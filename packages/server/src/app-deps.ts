import type { TestClock } from './ports/clock.js';
import type { ServiceDeps } from './services/service-deps.js';
import type { MerchantAuthenticator } from './services/merchants.js';
import type { Relay } from './workers/relay.js';

/** What the HTTP app needs: the services' deps plus auth, and test mode's clock and relay. */
export type AppDeps = ServiceDeps & {
  authenticator: MerchantAuthenticator;
  /** Present in test mode only. */
  testClock?: TestClock | undefined;
  /** Present when workers run in this process: the clock advance sweeps at once. */
  relay?: Relay | undefined;
};
