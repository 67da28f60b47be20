import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the real PostgreSQL server that drops connections at chosen moments, for the tests of
 * a store that must survive them. Armed with a SQL fragment, it cuts the next connection that sends a message
 * containing it: `before` (the message never reaches the server: the transaction is rolled back there) or
 * `afterReply` (the server gets it and answers, the client never hears: a COMMIT whose outcome it cannot know).
 */
export interface FaultProxy {
  /** `postgresql://…` through the proxy, with the original URL's user, database and query. */
  readonly url: string;
  arm(fragment: string, when: 'before' | 'afterReply'): void;
  /** How many connections were cut so far. */
  readonly nCut: number;
  close(): Promise<void>;
}

export async function faultProxy(serverUrl: string): Promise<FaultProxy> {
  const target = new URL(serverUrl);
  const host = target.hostname === 'localhost' && target.searchParams.has('host') ? undefined : target.hostname;
  const socketPath = host === undefined ? `${target.searchParams.get('host') ?? ''}/.s.PGSQL.${target.port || '5432'}` : undefined;
  let armed: { fragment: Buffer; when: 'before' | 'afterReply' } | undefined;
  let nCut = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = socketPath === undefined ? connect(Number(target.port || 5432), host) : connect(socketPath);
    sockets.add(client).add(upstream);
    let cutOnReply = false;
    const cut = (): void => {
      nCut += 1;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(armed.fragment)) {
        const { when } = armed;
        armed = undefined;
        if (when === 'before') return cut();
        cutOnReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutOnReply) return cut();
      client.write(chunk);
    });
    for (const s of [client, upstream]) {
      s.on('error', () => s.destroy());
      s.on('close', () => {
        sockets.delete(s);
        (s === client ? upstream : client).destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const via = new URL(serverUrl);
  via.hostname = '127.0.0.1';
  via.port = String(port);
  via.searchParams.delete('host');
  return {
    url: via.toString(),
    arm: (fragment, when) => (armed = { fragment: Buffer.from(fragment), when }),
    get nCut() {
      return nCut;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
