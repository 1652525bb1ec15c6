import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as the receiver got it. */
export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A loopback HTTP server standing in for Firebreak's webhook: it records every request and answers 200. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  readonly requests: readonly ReceivedRequest[];
  /** Resolves with the first request (already received or still to come) that `test` accepts. */
  waitFor(
    test: (request: ReceivedRequest) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<(request: ReceivedRequest) => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      for (const waiter of waiters) waiter(request);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor(test, timeoutMs, what) {
      const seen = requests.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${what} within ${timeoutMs} ms (${requests.length} requests received)`));
        }, timeoutMs);
        const waiter = (request: ReceivedRequest) => {
          if (!test(request)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(request);
        };
        waiters.add(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
