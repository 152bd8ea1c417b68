import type { LeasedDeliveryHandoff } from '../service-deps.js';

/** A {@link LeasedDeliveryHandoff} to give out before the dispatcher it forwards to exists. */
export type LateHandoff = LeasedDeliveryHandoff & {
  /** From now on, forwards to `dispatcher`. */
  bind(dispatcher: LeasedDeliveryHandoff): void;
};

/**
 * For `pg-cli dev` (role `all`), whose HTTP app is built before its workers start (the app is
 * built while the database opens): the API's new payments hand their deliveries to the workers'
 * dispatcher, bound here once the workers run, before the app takes a request. A call before
 * that is a wiring mistake, and says so.
 */
export function createLateHandoff(): LateHandoff {
  let bound: LeasedDeliveryHandoff | undefined;
  const dispatcher = () => {
    if (!bound) throw new Error('no delivery dispatcher is bound yet: bind the workers before the app serves requests');
    return bound;
  };
  return {
    bind(to) {
      bound = to;
    },
    leaseUntil: (realNow) => dispatcher().leaseUntil(realNow),
    admitLeased: (deliveries) => dispatcher().admitLeased(deliveries),
  };
}
