/**
 * Keys that each count as present until a time of their own (`performance.now()` scale, or any
 * clock the caller passes consistently). An expired key leaves when it is next looked up, and
 * all expired keys are swept out once the set reaches `sweepAt` entries; the bound then doubles
 * with what is left, so sweeping stays amortized O(1) per add however many keys are live.
 */
export type ExpiringSet = {
  add(key: string, until: number, now: number): void;
  has(key: string, now: number): boolean;
  delete(key: string): void;
  readonly size: number;
};

export function createExpiringSet({ sweepAt = 10_000 }: { sweepAt?: number } = {}): ExpiringSet {
  const untilOf = new Map<string, number>();
  let nextSweepAt = sweepAt;
  return {
    add(key, until, now) {
      untilOf.set(key, until);
      if (untilOf.size < nextSweepAt) return;
      for (const [k, u] of untilOf) if (u <= now) untilOf.delete(k);
      nextSweepAt = Math.max(sweepAt, 2 * untilOf.size);
    },
    has(key, now) {
      const until = untilOf.get(key);
      if (until === undefined) return false;
      if (until > now) return true;
      untilOf.delete(key);
      return false;
    },
    delete(key) {
      untilOf.delete(key);
    },
    get size() {
      return untilOf.size;
    },
  };
}
