/**
 * Concurrent event streams per merchant, counted in this API process: each open stream holds a
 * socket, a Redis subscription and a timer, so one merchant (a leaked `pg-cli listen` loop, a
 * dashboard left open in fifty tabs) must not take them all.
 */
export interface StreamSlots {
  readonly max: number;
  /** A release function when a slot was free (call it once, when the stream ends), else undefined. */
  acquire(merchantId: string): (() => void) | undefined;
}

export function createStreamSlots(max: number): StreamSlots {
  const open = new Map<string, number>();
  return {
    max,
    acquire(merchantId) {
      const count = open.get(merchantId) ?? 0;
      if (max > 0 && count >= max) return undefined;
      open.set(merchantId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(merchantId) ?? 1) - 1;
        if (left <= 0) open.delete(merchantId);
        else open.set(merchantId, left);
      };
    },
  };
}
