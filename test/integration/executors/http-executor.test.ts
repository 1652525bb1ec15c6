// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../../src/executors/execute-step.js';
import { stepSchema } from '../../../src/runbooks/runbook-schema.js';
import { freePort } from '../../support/global-redis.js';
import { testContext } from '../../unit/executors/test-context.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const TOKEN = 'adm-9c41e7d2b8f0a6';
const received: Received[] = [];
/** Resolves when the server sees the socket of a hanging request close. */
const socketClosed: Array<() => void> = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/hang') {
        req.socket.on('close', () => socketClosed.shift()?.());
        return;
      }
      if (path === '/fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error": "worker pool exhausted"}');
        return;
      }
      if (path === '/moved') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
        return;
      }
      // Echoes what it got, the way a careless admin API or a debug proxy would.
      const auth = req.headers.authorization ?? '';
      const echo = {
        received: JSON.parse(body || 'null'),
        auth,
        raw: auth.slice(7),
        b64: btoa(auth.slice(7)),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo, null, 2));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const emergencyRateLimit = stepSchema.parse({
  type: 'http',
  method: 'POST',
  url: '${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/rate-limit/emergency?key=${ADMIN_TOKEN}',
  headers: { Authorization: 'Bearer ${ADMIN_TOKEN}' },
  body: { requests_per_minute: 100, burst: 10 },
});

function waitForClose(): Promise<void> {
  return new Promise((resolve) => socketClosed.push(resolve));
}

describe('http steps against a real server', () => {
  it('sends the interpolated token and JSON body, and never shows the token', async () => {
    const ctx = testContext({ vars: { GENERATION_SERVICE_URL: base, ADMIN_TOKEN: TOKEN }, secrets: [TOKEN] });
    const result = await executeStep(emergencyRateLimit, ctx);

    const request = received.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ requests_per_minute: 100, burst: 10 });

    expect(result.outcome).toBe('succeeded');
    expect(result.summary).toMatch(
      /^POST 127\.0\.0\.1:\d+\/api\/admin\/rate-limit\/emergency → 200 in \d+(\.\d+)? m?s$/,
    );
    expect(result.excerpt).toContain('"received":{"requests_per_minute":100,"burst":10}');
    const shown = JSON.stringify(result) + ctx.captured.lines.join('');
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(btoa(TOKEN));
  });

  it('hides a header token the worker forgot to list as a secret', async () => {
    const ctx = testContext({ vars: { GENERATION_SERVICE_URL: base, ADMIN_TOKEN: TOKEN } });
    const result = await executeStep(emergencyRateLimit, ctx);
    expect(result.outcome).toBe('succeeded');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(JSON.stringify(result)).not.toContain(btoa(TOKEN));
  });

  it('fails on a 500 and shows the body', async () => {
    const step = stepSchema.parse({ type: 'http', method: 'POST', url: `${base}/fail` });
    const result = await executeStep(step, testContext());
    expect(result.outcome).toBe('failed');
    expect(result.summary).toMatch(/^POST 127\.0\.0\.1:\d+\/fail → 500 in /);
    expect(result.excerpt).toBe('{"error":"worker pool exhausted"}');
  });

  it('does not follow redirects', async () => {
    const step = stepSchema.parse({ type: 'http', method: 'POST', url: `${base}/moved` });
    const result = await executeStep(step, testContext());
    expect(result.outcome).toBe('failed');
    expect(result.summary).toContain('→ 302 in');
  });

  it("times out by the step's timeout and closes the connection", async () => {
    const closed = waitForClose();
    const step = stepSchema.parse({ type: 'http', method: 'POST', url: `${base}/hang`, timeout: '300ms' });
    const result = await executeStep(step, testContext());
    expect(result.outcome).toBe('failed');
    expect(result.summary).toMatch(/^POST 127\.0\.0\.1:\d+\/hang timed out after 300 ms$/);
    await closed;
  });

  it('closes the socket when cancelled', async () => {
    const closed = waitForClose();
    const controller = new AbortController();
    const step = stepSchema.parse({ type: 'http', method: 'GET', url: `${base}/hang`, timeout: '1m' });
    const pending = executeStep(step, testContext({ signal: controller.signal }));
    while (!received.some((r) => r.url === '/hang' && r.method === 'GET'))
      await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await pending).toMatchObject({ outcome: 'failed', summary: 'cancelled' });
    await closed;
  });

  it('says the connection was refused', async () => {
    const port = await freePort();
    const step = stepSchema.parse({ type: 'http', method: 'GET', url: `http://127.0.0.1:${port}/health` });
    const result = await executeStep(step, testContext());
    expect(result).toMatchObject({
      outcome: 'failed',
      summary: `GET 127.0.0.1:${port}/health failed: connection refused to 127.0.0.1:${port}`,
    });
  });
});
