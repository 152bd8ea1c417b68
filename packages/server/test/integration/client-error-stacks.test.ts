import { afterEach, describe, expect, it } from 'vitest';
import { PaygateError, setClientErrorStacks } from '@paygate/core';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** The frames of a stack (its `    at …` lines). */
const framesOf = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  setClientErrorStacks(true); // this file's module state, for the next test
});

// An API answers client errors by the thousand: it records no stack for them (see PaygateError).
describe('client error stacks in an API process', () => {
  it('a gateway that serves the API turns them off; its answers are unchanged', async () => {
    // Given a process where client errors record their stacks (the default)
    expect(framesOf(new PaygateError('NOT_FOUND_ERROR', 'x')).length).toBeGreaterThan(0);

    // When a gateway serving the API starts in it
    gw = await startTestGateway('pglite');

    // Then client errors carry no frames, and server errors keep theirs
    expect(framesOf(new PaygateError('NOT_FOUND_ERROR', 'x'))).toEqual([]);
    expect(framesOf(new PaygateError('SERVER_ERROR', 'x')).length).toBeGreaterThan(0);
    // And a rejected request is answered as before: code, field and description
    const res = await gw.call('POST', '/api/v1/orders', { amount: -1, currency: 'INR' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'amount' });
    expect(res.body.error.description).toMatch(/amount/);
  });

  it('a worker-only gateway leaves them on', async () => {
    gw = await startTestGateway('pglite', {}, 'worker');
    expect(framesOf(new PaygateError('NOT_FOUND_ERROR', 'x')).length).toBeGreaterThan(0);
  });
});
