import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, Redis), so a test can cut the
 * connections of the processes behind it without touching the shared server itself.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const held = new Set<net.Socket>();
  let refusing = false;
  let holding = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    if (holding) {
      // Accepted, never answered: a server that hangs.
      held.add(client);
      client.on('error', () => client.destroy()).on('close', () => held.delete(client));
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    /** Live connections through the proxy. */
    connections: () => pairs.size,
    /**
     * Resets every live connection (both sides, RST: as a crashed server or a dropped network
     * looks to a client) and, with `refuse`, every new one until {@link restore}; with `hold`,
     * new ones are accepted and never answered (a server that hangs) until {@link restore}.
     * @returns how many connections were cut.
     */
    cut({ refuse = false, hold = false } = {}): number {
      refusing = refuse;
      holding = hold;
      for (const c of [...held]) c.destroy();
      const cut = pairs.size;
      for (const [client, upstream] of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
      return cut;
    },
    /** Accepts new connections again. */
    restore(): void {
      refusing = false;
      holding = false;
      for (const c of [...held]) c.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) (client.destroy(), upstream.destroy());
        for (const c of held) c.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxyPort: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxyPort);
  return u.toString();
}
