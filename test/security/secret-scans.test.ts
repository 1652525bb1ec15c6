// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { type BotHarness, cardWith, incidentThread, startHarness } from '../support/bot-harness.js';
import { leaked, redisDump } from './security-support.js';

/**
 * A whole incident run with credentials everywhere a runbook can put them — a header, a query
 * string, a process's argv, a URL's password — against a target that echoes every one of them
 * back. Afterwards no secret is in any Slack call, response-URL answer, log line (at debug), job
 * or any other value in Redis.
 */
const SECRETS = {
  DB: 'db-secret-value-1', // declared by the runbook's `secrets:`; its name says nothing
  SVC_LOGIN: 'svc-login-value-3', // declared by SECRET_VARIABLES
  SERVICE_AUTH: 'svc-auth-value-2', // secret by name (AUTH)
  CACHE_PASSWORD_IN_URL: 'cache-pw-value-4', // the password inside CACHE_URL, a URL-shaped value
};

let h: BotHarness;
let echo: Server;
let dir: string;
let scanner: Redis;
beforeAll(async () => {
  echo = createServer((req, res) => {
    // The worst target: it repeats the request, credentials included, in its answer.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'firebreak-secrets-'));
  await copyFile('commands/503.yaml', join(dir, '503.yaml'));
  await writeFile(
    join(dir, 'creds.yaml'),
    stringify({
      kind: 'creds',
      title: 'Credentials drill',
      secrets: ['DB'],
      probes: [
        {
          id: 'echo-probe',
          title: 'Echo service',
          step: 1,
          check: {
            type: 'http',
            url: '${ECHO_URL}/probe?db=${DB}',
            headers: { Authorization: 'Bearer ${SERVICE_AUTH}' },
          },
          threshold: { warn: 1000, critical: 2000, unit: 'ms' },
        },
      ],
      groups: [{ id: 'P1', title: 'Now' }],
      actions: [
        {
          id: 'echo-http',
          title: 'Call the echo service',
          group: 'P1',
          run: {
            type: 'http',
            method: 'POST',
            url: '${ECHO_URL}/act?db=${DB}&login=${SVC_LOGIN}',
            headers: { 'X-Admin': '${ADMIN_TOKEN}', 'X-Auth': '${SERVICE_AUTH}' },
          },
        },
        {
          id: 'echo-process',
          title: 'Print the credentials',
          group: 'P1',
          run: {
            type: 'process',
            command: ['echo', 'db=${DB}', 'auth=${SERVICE_AUTH}', 'login=${SVC_LOGIN}', 'cache=${CACHE_URL}'],
          },
        },
      ],
    }),
  );
  h = await startHarness({
    redisUrl: inject('redisUrl'),
    env: {
      RUNBOOK_DIR: dir,
      ECHO_URL: echoUrl,
      DB: SECRETS.DB,
      SVC_LOGIN: SECRETS.SVC_LOGIN,
      SERVICE_AUTH: SECRETS.SERVICE_AUTH,
      CACHE_URL: `redis://:${SECRETS.CACHE_PASSWORD_IN_URL}@127.0.0.1:1/0`,
      SECRET_VARIABLES: 'SVC_LOGIN',
      EXECUTOR_ALLOWED_PROGRAMS: 'echo,lsof,ss,ps',
    },
  });
  scanner = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await h?.stop();
  scanner?.disconnect();
  await new Promise((resolve) => echo?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const actionDone = (id: string) => async () => {
  for (const incident of await h.bot.deps.store.listRecent(10)) {
    const state = await h.bot.deps.store.getAction(incident.id, id);
    if (state && (state.status === 'succeeded' || state.status === 'failed')) return true;
  }
  return false;
};

it('keeps every secret out of Slack, the logs, the jobs and everything else in Redis', async () => {
  await h.slash('creds credentials everywhere');
  const creds = await incidentThread(h.slack, (t) =>
    t.some((m) => m.blocks.some((b) => b.block_id === 'action-echo-process')),
  );
  await h.click(cardWith(creds.thread, 'echo-http'), 'approve-echo-http');
  await h.click(cardWith(creds.thread, 'echo-process'), 'approve-echo-process');
  await expect.poll(actionDone('echo-http'), { timeout: 15_000 }).toBe(true);
  await expect.poll(actionDone('echo-process'), { timeout: 15_000 }).toBe(true);
  // The echoed output reached the card (masked), so the scan below looks at real output.
  await incidentThread(h.slack, (t) => JSON.stringify(t).includes('login=[redacted]'), 15_000);

  await h.slash('503 the seed runbook too');
  const thread = await h.slack.waitFor(() => {
    const channel = h.slack.channels().find((c) => c.name.includes('-503-'));
    const [header] = channel ? h.slack.messages(channel.id) : [];
    const replies = channel && header ? h.slack.thread(channel.id, header.ts) : [];
    return (
      replies.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')) && replies
    );
  }, 15_000);
  await h.click(cardWith(thread, 'p1-emergency-rate-limit'), 'approve-p1-emergency-rate-limit');
  await expect.poll(actionDone('p1-emergency-rate-limit'), { timeout: 15_000 }).toBe(true);

  const all = {
    ...SECRETS,
    SLACK_SIGNING_SECRET: h.secrets.signingSecret,
    SLACK_BOT_TOKEN: h.secrets.botToken,
    ADMIN_TOKEN: h.secrets.adminToken,
    APPROVAL_SIGNING_KEY: h.stack.secrets.approvalKey,
  };
  // The drill is real: the target did receive the secrets.
  expect(h.sandbox.adminCalls.some((c) => c.path === '/api/admin/rate-limit/emergency')).toBe(true);

  expect(leaked(JSON.stringify(h.slack.calls), all), 'Slack Web API calls').toEqual([]);
  // Names stay readable: only values are masked.
  expect(JSON.stringify(h.slack.calls)).toContain('login=${SVC_LOGIN}');
  expect(leaked(JSON.stringify(h.slack.responses()), all), 'response-URL answers').toEqual([]);
  expect(leaked(h.logs(), all), 'log lines').toEqual([]);
  expect(h.logs()).toContain('"level":20'); // debug lines were written, and scanned
  const dump = await redisDump(scanner, h.stack.prefix);
  expect(dump).toContain('firebreak-actions'); // the jobs are in the dump
  expect(leaked(dump, all), 'Redis: jobs, timeline, ledger, everything').toEqual([]);
});
