import { afterEach } from 'vitest';
import {
  createSandbox,
  SANDBOX_SERVICES,
  type Sandbox,
  type SandboxOptions,
  type SandboxServiceName,
} from '../../../src/sandbox/sandbox.js';

export const TOKEN = 'test-admin-token';
/** Small enough for fast tests, large enough to tell a slow answer from a fast one. */
export const SPIKE_LATENCY_MS = 200;
export const HISTORY_MS = 300;

const FREE_PORTS = Object.fromEntries(SANDBOX_SERVICES.map((name) => [name, 0])) as Record<
  SandboxServiceName,
  number
>;

const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sandbox) => sandbox.stop()));
});

/** Starts a sandbox on free ports; it is stopped after the test. */
export async function startSandbox(overrides: Partial<SandboxOptions> = {}) {
  const sandbox = createSandbox({
    adminToken: TOKEN,
    ports: FREE_PORTS,
    spikeLatencyMs: SPIKE_LATENCY_MS,
    tickMs: 20,
    historyMs: HISTORY_MS,
    ...overrides,
  });
  started.push(sandbox);
  const urls = await sandbox.start();
  return { sandbox, urls };
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
  ms: number;
}

/** Fetches and reads the body, timing the whole exchange. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const begun = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  const ms = performance.now() - begun;
  let body: unknown = text;
  if (res.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers, ms };
}

/** An admin request as the runbook's curl sends it, with the bearer token unless told otherwise. */
export function admin(
  baseUrl: string,
  path: string,
  options: { body?: unknown; method?: string; token?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const init: RequestInit = { method: options.method ?? 'POST', headers };
  if (options.body !== undefined) {
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  return call(`${baseUrl}${path}`, init);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
