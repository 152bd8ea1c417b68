/** How often a test-mode clock asks the gateway for its time at most. */
export const CLOCK_SYNC_INTERVAL_MS = 250;

/**
 * "Now" as the gateway sees it. In test mode the gateway's clock can be moved forward
 * (`pg-cli clock advance 30m`), and `listen` schedules its retries on that clock like the
 * gateway's own deliveries, so advancing it plays out the listener's retries too. Outside test
 * mode it is the local clock.
 */
export interface GatewayClock {
  now(): Date;
  /** Catches up with the gateway's clock (at most every {@link CLOCK_SYNC_INTERVAL_MS}); a no-op outside test mode. */
  sync(): Promise<void>;
}

/** The local clock: the gateway's outside test mode. */
export function localClock(localNow: () => number = Date.now): GatewayClock {
  return { now: () => new Date(localNow()), sync: async () => undefined };
}

/**
 * The gateway's test clock, read through `readGatewayNow` (`GET /api/v1/test/clock`). Between
 * reads it runs on the local clock plus the last offset seen; a failed read keeps the last one.
 */
export function testModeClock(readGatewayNow: () => Promise<Date>, initialOffsetMs: number, localNow: () => number = Date.now): GatewayClock {
  let offsetMs = initialOffsetMs;
  let lastSync = localNow();
  let syncing: Promise<void> | undefined;
  return {
    now: () => new Date(localNow() + offsetMs),
    sync() {
      if (syncing) return syncing;
      if (localNow() - lastSync < CLOCK_SYNC_INTERVAL_MS) return Promise.resolve();
      syncing = readGatewayNow()
        .then(
          (gatewayNow) => {
            offsetMs = gatewayNow.getTime() - localNow();
          },
          () => undefined, // the gateway is away for a moment: keep the last offset
        )
        .finally(() => {
          lastSync = localNow();
          syncing = undefined;
        });
      return syncing;
    },
  };
}
