import { expect, it } from 'vitest';
import { REDIS_DATABASES, redisTestUrl } from './services.js';

it('gives every suite that empties or counts a Redis database one of its own, none of them database 0', () => {
  const numbers = Object.values(REDIS_DATABASES);
  expect(new Set(numbers).size).toBe(numbers.length);
  for (const n of numbers) expect(n).toBeGreaterThan(0);
  for (const n of numbers) expect(n).toBeLessThan(16); // Redis has 16 databases unless configured otherwise
  expect(new URL(redisTestUrl('durabilityStop')).pathname).toBe(`/${REDIS_DATABASES.durabilityStop}`);
});
