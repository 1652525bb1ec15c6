import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.js';
import { type Route, sendJson } from './route.js';

export interface HttpServer {
  /** Listens on `port` (0: a free one); resolves with `http://<host>:<port>`. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting, closes idle and open connections; bounded by the caller. */
  close(): Promise<void>;
}

/**
 * Firebreak's own HTTP server: every endpoint is a {@link Route} (health, metrics, Slack's receiver,
 * and whatever comes next), matched on the exact path. Unknown paths get 404 and a wrong method 405
 * with `Allow`, as JSON; a handler that throws gets a 500 and a log line, never a crashed process.
 */
export function createHttpServer(routes: readonly Route[], log: Logger): HttpServer {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const candidates = byPath.get(path);
    if (!candidates) return sendJson(res, 404, { error: 'not_found', path });
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      res.setHeader('allow', candidates.map((r) => r.method).join(', '));
      return sendJson(res, 405, { error: 'method_not_allowed' });
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((err: unknown) => {
        log.error({ err, path, method: req.method }, 'HTTP handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
        else res.end();
      });
  });
  // A slow or idle client must not hold a socket (and a stop) for ever; Slack's own budget is 3 s.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(
            `http://${host && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1'}:${address.port}`,
          );
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Keep-alive sockets of clients that went quiet would hold close() open.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
    },
  };
}
