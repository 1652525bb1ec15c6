import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../../src/http/health-routes.js';
import { createHttpServer, type HttpServer } from '../../../src/http/http-server.js';
import { sendJson } from '../../../src/http/route.js';
import { createLogger } from '../../../src/logging/logger.js';

let logText = '';
const log = createLogger(
  'info',
  new Writable({
    write(chunk, _enc, done) {
      logText += chunk.toString();
      done();
    },
  }),
);
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("Firebreak's HTTP server", () => {
  it('routes by exact path and method, 404 and 405 otherwise, as JSON', async () => {
    server = createHttpServer(
      [{ method: 'POST', path: '/hook', handle: (_req, res) => sendJson(res, 202, { ok: 1 }) }],
      log,
    );
    const url = await server.listen(0, '127.0.0.1');
    expect((await fetch(`${url}/hook`, { method: 'POST' })).status).toBe(202);
    const missing = await fetch(`${url}/hook/more`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', path: '/hook/more' });
    const wrong = await fetch(`${url}/hook?x=1`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('answers 500 for a handler that throws, logs it, and keeps serving', async () => {
    server = createHttpServer(
      [
        {
          method: 'GET',
          path: '/boom',
          handle: () => {
            throw new Error('kaput');
          },
        },
        ...healthRoutes([], new Registry()),
      ],
      log,
    );
    const url = await server.listen(0, '127.0.0.1');
    expect((await fetch(`${url}/boom`)).status).toBe(500);
    expect(logText).toContain('HTTP handler failed');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('is ready only when every check holds, and shows each one', async () => {
    const registry = new Registry();
    let redisUp = true;
    const checks = [
      { name: 'redis', check: async () => ({ ok: redisUp, detail: redisUp ? 'ok' : 'unreachable' }) },
      { name: 'runbooks', check: async () => ({ ok: true, detail: 2 }) },
    ];
    server = createHttpServer(healthRoutes(checks, registry), log);
    const url = await server.listen(0, '127.0.0.1');
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', redis: 'ok', runbooks: 2 }]);
    redisUp = false;
    const down = await fetch(`${url}/readyz`);
    expect([down.status, await down.json()]).toEqual([
      503,
      { status: 'not ready', redis: 'unreachable', runbooks: 2 },
    ]);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toBe(registry.contentType);
  });

  it('closes with a keep-alive client connected', async () => {
    server = createHttpServer(healthRoutes([], new Registry()), log);
    const url = await server.listen(0, '127.0.0.1');
    await fetch(`${url}/healthz`, { keepalive: true });
    const started = performance.now();
    await server.close();
    server = undefined;
    expect(performance.now() - started).toBeLessThan(2500);
  });
});
