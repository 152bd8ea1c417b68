import type { TestClock } from './ports/clock.js';
import type { ClassifyError } from './ports/error-classifier.js';
import type { ServiceDeps } from './services/service-deps.js';
import type { MerchantAuthenticator } from './services/merchants.js';
import type { Relay } from './services/relay.js';

/** What the HTTP app needs: the services' deps plus auth, error classification, and test mode's clock and relay. */
export type AppDeps = ServiceDeps & {
  authenticator: MerchantAuthenticator;
  /** Database errors in the API's vocabulary (400, 503 + Retry-After), for both transports' error handling. */
  classifyError: ClassifyError;
  /** Present in test mode only. */
  testClock?: TestClock | undefined;
  /** Present when workers run in this process: the clock advance sweeps at once. */
  relay?: Relay | undefined;
};
