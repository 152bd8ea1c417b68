import { createServer } from 'node:net';
import { PaygateRestClient } from '@paygate/client';
import { describe, expect, it, vi } from 'vitest';
import { ApiSource } from '../../src/dashboard/api-source.js';
import type { DashboardUpdate } from '../../src/dashboard/data-source.js';

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the dashboard source over @paygate/client', () => {
  it('says in one line that the gateway does not answer and how to start one, keeps trying, and stops on unsubscribe', async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}`;
    const source = new ApiSource(new PaygateRestClient({ apiUrl, apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789' }), { pollMs: 50 });
    const updates: DashboardUpdate[] = [];
    const stop = source.subscribe((u) => updates.push(u));
    try {
      await vi.waitFor(() => expect(updates.some((u) => u.type === 'problem')).toBe(true), { timeout: 10_000 });
      const problem = updates.find((u) => u.type === 'problem') as { message: string };
      expect(problem.message).toBe(`The gateway at ${apiUrl} did not answer (ECONNREFUSED). Start one with: pg-cli dev (or pass --api-url).`);
      await vi.waitFor(() => expect(updates.some((u) => u.type === 'connection' && u.connection.state === 'reconnecting')).toBe(true), { timeout: 10_000 });
      // The same problem is not said again on every poll
      expect(updates.filter((u) => u.type === 'problem')).toHaveLength(1);
    } finally {
      stop();
    }
    const after = updates.length;
    await new Promise((resolve) => setTimeout(resolve, 200)); // several poll periods: nothing more may come
    expect(updates.length).toBe(after);
  });

  it("a refused retry rejects with the gateway's one line", async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}`;
    const source = new ApiSource(new PaygateRestClient({ apiUrl, apiKey: 'k', apiSecret: 's' }));
    await expect(source.retryDelivery('whd_x')).rejects.toThrow(/^The gateway at .* did not answer \(ECONNREFUSED\)\. Start one with: pg-cli dev/);
  });
});
