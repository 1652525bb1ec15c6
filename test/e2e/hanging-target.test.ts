import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, sendJson, startServer } from '../integration/diagnostics/local-server.js';
import { type BotHarness, cardWith, incidentThread, startHarness } from '../support/bot-harness.js';

/** A runbook whose only action calls an admin API that never answers, with a short step timeout. */
const RUNBOOK = `
kind: hang
title: Admin API hangs
severity: major
probes:
  - id: target-health
    title: Target health
    step: 1
    check: { type: http, url: "\${HANG_TARGET_URL}/health" }
    timeout: 2s
groups:
  - { id: P1, title: Traffic control, deadline: 30s }
actions:
  - id: p1-call-hanging-api
    title: Call the admin API that hangs
    group: P1
    run: { type: http, method: POST, url: "\${HANG_TARGET_URL}/api/admin/hang", timeout: 500ms }
`;

describe('a target that hangs', () => {
  let dir: string;
  let target: LocalServer;
  let h: BotHarness;

  beforeAll(async () => {
    // Answers its health check; never answers the admin call.
    target = await startServer((req, res) => {
      if (req.url === '/health') sendJson(res, 200, { status: 'ok' });
    });
    dir = mkdtempSync(join(tmpdir(), 'firebreak-runbooks-'));
    writeFileSync(join(dir, 'hang.yaml'), RUNBOOK);
    h = await startHarness({
      redisUrl: inject('redisUrl'),
      env: { RUNBOOK_DIR: dir, HANG_TARGET_URL: target.url },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the action with a timeout summary after the step timeout, and the card says so', async () => {
    await h.slash('hang the admin API is stuck');
    const { thread } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-call-hanging-api')),
    );
    const approvedAt = Date.now();
    const click = await h.click(cardWith(thread, 'p1-call-hanging-api'), 'approve-');
    expect(click.status).toBe(200);

    const { thread: after } = await incidentThread(
      h.slack,
      (t) => JSON.stringify(t).includes('timed out after 500 ms'),
      8000,
    );
    const took = Date.now() - approvedAt;
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(5000);
    const card = JSON.stringify(cardWith(after, 'p1-call-hanging-api').blocks);
    expect(card).toMatch(/:x: \*failed\* — POST 127\.0\.0\.1:\d+\/api\/admin\/hang timed out after 500 ms/);
    // Failed, so it may be approved again.
    expect(card).toContain('Approve again');
    expect(after.map((m) => m.text).join('\n')).toContain('Call the admin API that hangs* failed');
    expect(target.requests.filter((r) => r === '/api/admin/hang')).toHaveLength(1);
  });

  it('leaves the incident usable: status still answers in its channel', async () => {
    const { channel } = await incidentThread(h.slack, () => true);
    const status = await h.slash('status', { channel: channel.id });
    const answer = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === status.responseUrl));
    expect(JSON.stringify(answer.body)).toContain('1 failed');
    expect(JSON.stringify(answer.body)).toContain('Mitigating');
  });
});
