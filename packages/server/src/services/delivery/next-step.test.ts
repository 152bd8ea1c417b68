import { RETRY_SCHEDULES } from '@paygate/core';
import { describe, expect, it } from 'vitest';
import { decideNextStep } from './next-step.js';

const now = new Date('2026-01-01T00:00:00.000Z');
const retry = { schedule: RETRY_SCHEDULES.production, random: () => 0.5, jitter: 0 };
const at = (ms: number) => new Date(now.getTime() + ms);

describe('decideNextStep', () => {
  it('delivers on any 2xx', () => {
    expect(decideNextStep({ statusCode: 200 }, 0, now, retry)).toEqual({ outcome: 'delivered' });
    expect(decideNextStep({ statusCode: 204 }, 3, now, retry)).toEqual({ outcome: 'delivered' });
  });

  it('gives up at once on 410 Gone and says the endpoint is gone', () => {
    expect(decideNextStep({ statusCode: 410 }, 0, now, retry)).toEqual({ outcome: 'failed', endpointGone: true });
  });

  it('retries other answers, timeouts and redirects on the schedule', () => {
    expect(decideNextStep({ statusCode: 500 }, 0, now, retry)).toEqual({ outcome: 'retry', at: at(60_000) });
    expect(decideNextStep({}, 1, now, retry)).toEqual({ outcome: 'retry', at: at(300_000) });
    expect(decideNextStep({ statusCode: 301 }, 0, now, retry)).toEqual({ outcome: 'retry', at: at(60_000) });
  });

  it("waits for the receiver's Retry-After when it is longer than the gap", () => {
    expect(decideNextStep({ statusCode: 503, retryAfter: '120' }, 0, now, retry)).toEqual({ outcome: 'retry', at: at(120_000) });
  });

  it('gives up after the last attempt, leaving the endpoint enabled', () => {
    expect(decideNextStep({ statusCode: 500 }, RETRY_SCHEDULES.production.length, now, retry)).toEqual({ outcome: 'failed', endpointGone: false });
  });
});
