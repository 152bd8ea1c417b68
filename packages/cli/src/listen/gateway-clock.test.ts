import { describe, expect, it } from 'vitest';
import { CLOCK_SYNC_INTERVAL_MS, testModeClock } from './gateway-clock.js';
import { createSecretSource, SECRET_MAX_AGE_MS } from './secret-source.js';

describe('testModeClock', () => {
  it('runs on the local clock plus the gateway offset, catching up when synced (not more often than it needs)', async () => {
    let local = 1_000_000;
    let gatewayOffset = 0;
    let reads = 0;
    const clock = testModeClock(
      async () => {
        reads += 1;
        return new Date(local + gatewayOffset);
      },
      0,
      () => local,
    );
    expect(clock.now().getTime()).toBe(1_000_000);

    // Given `clock advance 2h` on the gateway
    gatewayOffset = 2 * 3600_000;
    await clock.sync();
    expect(reads).toBe(0); // synced just now (at creation)
    local += CLOCK_SYNC_INTERVAL_MS;
    await clock.sync();

    // Then the listener's now moves with it
    expect(reads).toBe(1);
    expect(clock.now().getTime()).toBe(local + 2 * 3600_000);
  });

  it('keeps the last offset while the gateway is away', async () => {
    let local = 0;
    const clock = testModeClock(
      () => Promise.reject(new Error('ECONNREFUSED')),
      5_000,
      () => local,
    );
    local += CLOCK_SYNC_INTERVAL_MS;
    await clock.sync();
    expect(clock.now().getTime()).toBe(local + 5_000);
  });
});

describe('createSecretSource', () => {
  it('reads the secret once, again when it is old or on demand, and keeps the last one while the gateway is away', async () => {
    let now = 0;
    const answers: Array<string | Error> = ['whsec_one', 'whsec_two', new Error('ECONNREFUSED')];
    let reads = 0;
    const source = createSecretSource(
      async () => {
        reads += 1;
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      { now: () => now },
    );
    expect(await source.current()).toBe('whsec_one');
    expect(await source.current()).toBe('whsec_one');
    expect(reads).toBe(1);
    expect(await source.refresh()).toBe('whsec_two');
    now += SECRET_MAX_AGE_MS;
    expect(await source.current()).toBe('whsec_two'); // the read failed: the last secret stands
    expect(reads).toBe(3);
  });
});
