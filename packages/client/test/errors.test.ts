import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayUnreachableError, PaygateApiError, PaygateRestClient } from '@paygate/client';
import { startTcpProxy, throughProxy } from '../../server/test/helpers/tcp-proxy.js';
import { seedConnection, startListeningGateway } from './helpers/listening-gateway.js';

/** The error a promise rejects with (fails the test if it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('client errors', () => {
  let gateway: Awaited<ReturnType<typeof startListeningGateway>>;
  beforeAll(async () => {
    gateway = await startListeningGateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('a refusal is a PaygateApiError with the status, code, description and field of the error body', async () => {
    const paygate = new PaygateRestClient(seedConnection(gateway.url));
    const missing = await rejectionOf(paygate.orders.get('order_0000000000000000'));
    expect(missing).toBeInstanceOf(PaygateApiError);
    expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND_ERROR' });

    const invalid = await rejectionOf(paygate.orders.create({ amount: -5 }));
    expect(invalid).toMatchObject({ status: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' });
    expect((invalid as PaygateApiError).description).toMatch(/amount/);

    const wrongSecret = new PaygateRestClient({ ...seedConnection(gateway.url), apiSecret: 'secret_test_wrong' });
    expect(await rejectionOf(wrongSecret.orders.list())).toMatchObject({ status: 401, code: 'AUTHENTICATION_ERROR' });
  });

  it('a refused connection, a reset one and a hanging gateway are GatewayUnreachableError', async () => {
    // Refused: a port nobody listens on (taken, then freed).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await rejectionOf(new PaygateRestClient(seedConnection(`http://127.0.0.1:${port}`)).health());
    expect(refused).toBeInstanceOf(GatewayUnreachableError);
    expect(refused).toMatchObject({ reason: 'ECONNREFUSED' });

    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(gateway.url).port) });
    try {
      const viaProxy = new PaygateRestClient({ ...seedConnection(throughProxy(gateway.url, proxy.port)), timeoutMs: 500 });
      expect(await viaProxy.health()).toEqual({ status: 'ok' });

      proxy.cut({ refuse: true }); // accepted, then reset
      const reset = await rejectionOf(viaProxy.health());
      expect(reset).toBeInstanceOf(GatewayUnreachableError);

      proxy.cut({ hold: true }); // accepted, never answered
      const timedOut = await rejectionOf(viaProxy.health());
      expect(timedOut).toBeInstanceOf(GatewayUnreachableError);
      expect(timedOut).toMatchObject({ reason: 'TIMEOUT' });
    } finally {
      await proxy.close();
    }
  });

  it("the caller's own abort is not mistaken for an unreachable gateway", async () => {
    const paygate = new PaygateRestClient(seedConnection(gateway.url));
    const controller = new AbortController();
    controller.abort(new Error('stopped by the caller'));
    const aborted = await rejectionOf(paygate.health({ signal: controller.signal }));
    expect(aborted).not.toBeInstanceOf(GatewayUnreachableError);
    expect((aborted as Error).message).toBe('stopped by the caller');
  });

  it('refuses bad options at construction, naming the option', () => {
    expect(() => new PaygateRestClient({ ...seedConnection('http://127.0.0.1:8000'), apiSecrets: 'x' } as never)).toThrow(
      /Unknown Paygate client option\(s\): apiSecrets/,
    );
    expect(() => new PaygateRestClient(seedConnection('localhost:8000'))).toThrow(/apiUrl/);
    expect(() => new PaygateRestClient({ ...seedConnection('http://127.0.0.1:8000'), apiKey: '' })).toThrow(/apiKey/);
  });
});
