import type { z } from 'zod';

// zod has no per-parse context, so a schema whose checks read the clock (card expiry) carries
// the factory that rebuilds it for another clock. `parseInput(schema, input, now)` uses it, so
// the server's controllable test clock reaches the check without a global.
const CLOCK_FACTORY: unique symbol = Symbol.for('@paygate/core/clockFactory') as never;

/** A schema whose checks read a clock, carrying the factory that rebuilds it for another clock. */
export type ClockAwareSchema<T extends z.ZodType> = T & {
  readonly [CLOCK_FACTORY]: (now: () => Date) => T;
};

/** Attach `factory` to `schema` (non-enumerable) and return it typed as clock-aware. */
export function withClockFactory<T extends z.ZodType>(schema: T, factory: (now: () => Date) => T): ClockAwareSchema<T> {
  Object.defineProperty(schema, CLOCK_FACTORY, { value: factory, enumerable: false });
  return schema as ClockAwareSchema<T>;
}

/** `schema` rebuilt for the clock `now` when it is clock-aware, otherwise `schema` itself. */
export function withClock<T extends z.ZodType>(schema: T, now: () => Date): T {
  const factory = (schema as unknown as Partial<ClockAwareSchema<T>>)[CLOCK_FACTORY];
  return factory === undefined ? schema : factory(now);
}
