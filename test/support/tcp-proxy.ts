import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of another server (the test run's redis-server): `cut()` makes
 * it unreachable — open connections reset, new ones refused — and `restore()` brings it back on the
 * same port. Simulates a network blip without touching the shared server.
 */
export interface TcpProxy {
  /** `redis://127.0.0.1:<port>` when the target is a redis URL, else `127.0.0.1:<port>`. */
  url: string;
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    const address = next.address();
    if (address && typeof address === 'object') port = address.port;
    server = next;
  };
  const stop = async () => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  const scheme = target.protocol === 'redis:' || target.protocol === 'rediss:' ? `${target.protocol}//` : '';
  return {
    url: `${scheme}127.0.0.1:${port}`,
    port,
    cut: stop,
    restore: listen,
    close: stop,
  };
}
