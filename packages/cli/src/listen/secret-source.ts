/** Longest the listener signs with a secret it read without asking again. */
export const SECRET_MAX_AGE_MS = 30_000;

/**
 * The merchant's current webhook secret, read once from the gateway and again when it may have
 * changed: when it is older than {@link SECRET_MAX_AGE_MS} (a `webhooks secret rotate` meanwhile)
 * and at once when a receiver refuses a forward's signature (401/403).
 */
export interface SecretSource {
  current(): Promise<string>;
  /** Reads the secret again now; answers the fresh one. */
  refresh(): Promise<string>;
}

export function createSecretSource(readSecret: () => Promise<string>, options: { maxAgeMs?: number; now?: () => number } = {}): SecretSource {
  const { maxAgeMs = SECRET_MAX_AGE_MS, now = Date.now } = options;
  let cached: { secret: string; at: number } | undefined;
  let reading: Promise<string> | undefined;
  const refresh = (): Promise<string> => {
    reading ??= readSecret()
      .then((secret) => {
        cached = { secret, at: now() };
        return secret;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  return {
    async current() {
      if (cached && now() - cached.at < maxAgeMs) return cached.secret;
      // A gateway away for a moment must not stop the forwards: keep signing with the last secret.
      return cached ? refresh().catch(() => cached!.secret) : refresh();
    },
    refresh,
  };
}
