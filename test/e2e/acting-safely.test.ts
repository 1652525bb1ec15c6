import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import {
  blockActionsBody,
  type FakeMessage,
  findButton,
  sendToBot,
  viewSubmissionBody,
} from '../../src/fake-slack/index.js';
import { type LocalServer, sendJson, startServer } from '../integration/diagnostics/local-server.js';
import { ALICE, BOB, type BotHarness, cardWith, startHarness } from '../support/bot-harness.js';

const DANA = 'U0DANA0003';
const MALLORY = 'U0MALLORY1';
const ONCALL = 'S0ONCALL01';

/** Every action calls the test's own server; `memory` is what the guard reads, fresh, at approval. */
const RUNBOOK = `
kind: safety
title: Acting safely
severity: major
probes:
  - id: memory
    title: Memory
    step: 1
    check: { type: http, url: "\${SAFE_URL}/memory", measure: json, jsonPath: used }
    threshold: { warn: 80, critical: 90, unit: "%" }
    timeout: 2s
groups:
  - { id: P1, title: Traffic control }
  - { id: P2, title: Slow to decide, deadline: 1s }
  - { id: normalize, title: After recovery, offer: after-recovery }
actions:
  - id: limit
    title: Rate limit
    group: P1
    run: { type: http, method: POST, url: "\${SAFE_URL}/limit" }
    undo: restore
  - id: guarded
    title: Guarded restart
    group: P1
    when: { probe: memory, op: ">", value: 85 }
    run: { type: http, method: POST, url: "\${SAFE_URL}/guarded" }
    undo: { none: "a restart has no inverse" }
  - id: restart
    title: Restart
    group: P1
    destructive: true
    run: { type: http, method: POST, url: "\${SAFE_URL}/restart" }
    undo: { none: "a restart has no inverse" }
  - id: staged
    title: Staged release
    group: P1
    run:
      type: sequence
      steps:
        - { type: http, method: POST, url: "\${SAFE_URL}/test", expect: { json: { path: healthy, equals: true } } }
        - { type: wait, duration: 30s }
        - { type: http, method: POST, url: "\${SAFE_URL}/disable" }
    undo: { none: "a test action changes nothing real" }
  - id: forgotten
    title: Nobody decides this
    group: P2
    run: { type: http, method: POST, url: "\${SAFE_URL}/forgotten" }
    undo: { none: "a test action changes nothing real" }
  - id: restore
    title: Restore the limit
    group: normalize
    run: { type: http, method: POST, url: "\${SAFE_URL}/restore" }
`;

let memoryNow = 10;
let target: LocalServer;
let dir: string;
let h: BotHarness;
let channel: string;

const calls = (path: string) => target.requests.filter((r) => r === path).length;
const text = (value: unknown) => JSON.stringify(value);
const threadOf = (channelId: string) => {
  const [header] = h.slack.messages(channelId);
  return header ? h.slack.thread(channelId, header.ts) : [];
};
const cardIn = (channelId: string, actionId: string) => cardWith(threadOf(channelId), actionId);
/** The lines of one action on its card, as text: status and buttons. */
const actionText = (card: FakeMessage, actionId: string) => {
  const at = card.blocks.findIndex((b) => b.block_id === `action-${actionId}`);
  const next = card.blocks.findIndex((b, i) => i > at && b.block_id?.startsWith('action-'));
  return text(card.blocks.slice(at + 1, next < 0 ? undefined : next));
};
// Generous: deadlines fire on the wall clock and the thread is paced; a busy CI machine is slower.
const PATIENCE_MS = 20_000;
const waitForCard = (actionId: string, contains: string, channelId = channel) =>
  h.slack.waitFor(
    () => actionText(cardIn(channelId, actionId), actionId).includes(contains) || undefined,
    PATIENCE_MS,
  );
const answerTo = (responseUrl: string) =>
  h.slack.waitFor(
    () => h.slack.responses().find((r) => r.url === responseUrl)?.body as Record<string, unknown>,
  );
const threadLine = (contains: string) =>
  h.slack.waitFor(() => threadOf(channel).find((m) => m.text.includes(contains)), PATIENCE_MS);

beforeAll(async () => {
  target = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    sendJson(res, 200, path === '/memory' ? { used: memoryNow } : { ok: true, healthy: true });
  });
  dir = mkdtempSync(join(tmpdir(), 'firebreak-runbooks-'));
  writeFileSync(join(dir, 'safety.yaml'), RUNBOOK);
  h = await startHarness({
    redisUrl: inject('redisUrl'),
    env: {
      RUNBOOK_DIR: dir,
      SAFE_URL: target.url,
      INCIDENT_APPROVERS: `${ALICE},${BOB}`,
      INCIDENT_APPROVER_GROUPS: ONCALL,
    },
    beforeBotStart: (slack) => {
      slack.addUsergroup('sre-oncall', [DANA], { id: ONCALL });
    },
  });
  await h.slash('safety checkout is down');
  const found = await h.slack.waitFor(
    () => h.slack.channels().find((c) => c.name.startsWith('inc-')),
    10_000,
  );
  channel = found.id;
  // The cards offered at once (the after-recovery one follows once something was applied).
  await h.slack.waitFor(
    () => threadOf(channel).some((m) => m.blocks.some((b) => b.block_id === 'action-forgotten')),
    10_000,
  );
});
afterAll(async () => {
  await h?.stop();
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('acting safely, through Slack', () => {
  it('refuses a non-approver with whom to ask, and the thread says who was refused what', async () => {
    const click = await h.click(cardIn(channel, 'limit'), 'skip-limit', MALLORY);
    const answer = text(await answerTo(click.responseUrl));
    expect(answer).toContain('you are not an approver for this: ask');
    expect(answer).toContain(`<@${ALICE}>, <@${BOB}>, <!subteam^${ONCALL}>`);
    const line = await threadLine(`<@${MALLORY}> tried to skip`);
    expect(line.text).toContain('refused — not an approver for this');
    expect(actionText(cardIn(channel, 'limit'), 'limit')).toContain('"skip-limit"');
  });

  it('offers an undo only after its action succeeded, and lets a member of an approver group approve', async () => {
    // Nothing applied yet: the after-recovery card is held back, listed under "Not shown yet".
    expect(threadOf(channel).some((m) => m.blocks.some((b) => b.block_id === 'action-restore'))).toBe(false);
    expect(text(threadOf(channel))).toContain('Not shown yet');
    await h.click(cardIn(channel, 'limit'), 'approve-limit', DANA);
    await waitForCard('limit', ':white_check_mark: *succeeded*');
    expect(h.slack.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toContain(ONCALL);
    await waitForCard('restore', '"approve-restore"');
  });

  it('asks two different people for a destructive action: "1 of 2 approvals", then the second click runs it', async () => {
    expect(actionText(cardIn(channel, 'restart'), 'restart')).toContain(
      'needs 2 approvals from different people',
    );
    await h.click(cardIn(channel, 'restart'), 'approve-restart', ALICE);
    await waitForCard('restart', `1 of 2 approvals: <@${ALICE}>`);
    expect(actionText(cardIn(channel, 'restart'), 'restart')).toContain('Approve (2 of 2)');
    const twice = await h.click(cardIn(channel, 'restart'), 'approve-restart', ALICE);
    expect(text(await answerTo(twice.responseUrl))).toContain('You already approved this');
    expect(calls('/restart')).toBe(0);
    await h.click(cardIn(channel, 'restart'), 'approve-restart', BOB);
    await waitForCard('restart', ':white_check_mark: *succeeded*');
    expect(calls('/restart')).toBe(1);
  });

  it('refuses a guard on fresh values; "Approve anyway…" asks for a reason in a modal and records it', async () => {
    memoryNow = 10;
    const click = await h.click(cardIn(channel, 'guarded'), 'approve-guarded', BOB);
    const refusal = await answerTo(click.responseUrl);
    expect(text(refusal)).toContain('its guard is *not met* on fresh values: memory 10 % not &gt; 85');
    const blocks = refusal.blocks as FakeMessage['blocks'];
    const button = findButton({ blocks } as FakeMessage, (b) => b.action_id === 'override-guarded');
    if (!button) throw new Error('no Approve anyway button');
    const ephemeralClick = blockActionsBody({
      userId: BOB,
      channelId: channel,
      messageTs: '1.000001',
      actionId: button.actionId,
      ...(button.value ? { value: button.value } : {}),
      responseUrl: h.slack.responseUrl({ channelId: channel, userId: BOB }),
      message: { type: 'message', ts: '1.000001', blocks, text: '' },
    });
    expect((await sendToBot(h.bot.url, h.secrets.signingSecret, ephemeralClick)).status).toBe(200);
    const [modal] = await h.slack.waitFor(() =>
      h.slack.openViews(BOB).length > 0 ? h.slack.openViews(BOB) : undefined,
    );
    if (!modal) throw new Error('no modal');
    expect(text(modal)).toContain('Guarded restart');

    const submit = (reason: string) =>
      sendToBot(
        h.bot.url,
        h.secrets.signingSecret,
        viewSubmissionBody({
          userId: BOB,
          view: modal,
          values: { reason: { reason: { type: 'plain_text_input', value: reason } } },
        }),
      );
    expect(h.slack.applyViewSubmissionAnswer(modal.id, await submit('  '))).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('Say why') },
    });
    const reason = 'the memory probe reads the wrong host';
    expect(h.slack.applyViewSubmissionAnswer(modal.id, await submit(reason))).toEqual({
      response_action: 'none',
    });
    const line = await threadLine('*anyway*');
    expect(line.text).toContain(`<@${BOB}> approved *P1 · Guarded restart* *anyway*`);
    expect(line.text).toContain(`Reason: ${reason}`);
    await waitForCard('guarded', ':white_check_mark: *succeeded*');
    expect(calls('/guarded')).toBe(1);
  });

  it('previews an action, resolved, without running it', async () => {
    const click = await h.click(cardIn(channel, 'staged'), 'preview-staged', MALLORY);
    const answer = text(await answerTo(click.responseUrl));
    expect(answer).toContain(`1. POST ${target.url}/test (timeout 10s)`);
    expect(answer).toContain('then checks: healthy = true');
    expect(answer).toContain('2. wait 30s');
    expect(calls('/test')).toBe(0);
  });

  it('keeps resolve from closing over a running action, and cancels it from its card', async () => {
    await h.click(cardIn(channel, 'staged'), 'approve-staged', ALICE);
    await waitForCard('staged', '"cancel-staged"');
    await h.slack.waitFor(() => calls('/test') === 1 || undefined);
    const resolve = await h.slash('resolve', { channel });
    expect(text(await answerTo(resolve.responseUrl))).toContain('still queued or running');

    await h.click(cardIn(channel, 'staged'), 'cancel-staged', BOB);
    await waitForCard('staged', `:octagonal_sign: *cancelled* by <@${BOB}> after 1 of 3 steps`);
    await threadLine(`<@${BOB}> asked to cancel *P1 · Staged release*`);
    expect(calls('/disable')).toBe(0);
  });

  it("reminds the approvers at a group's deadline, then escalates to the commander and the announce channel, once each", async () => {
    // What the bot said about its deadlines and anything louder, should this fail on a busy machine.
    onTestFailed(() => {
      const said = h
        .logs()
        .split('\n')
        .filter((l) => /deadline|"level":(40|50|60)\b/.test(l));
      console.error(said.map((l) => l.slice(0, 1200)).join('\n'));
    });
    const reminder = await threadLine('is past its 1s deadline');
    expect(reminder.text).toContain('*P2 · Slow to decide*');
    expect(reminder.text).toContain(`<@${ALICE}>, <@${BOB}>, <!subteam^${ONCALL}>`);
    // Marked overdue — or already escalated: the deadlines run on the wall clock from the opening, and
    // on a busy machine the tests before this one can outlast both stages.
    await waitForCard('forgotten', '*overdue');
    const escalation = await threadLine('*Escalation:*');
    expect(escalation.text).toContain(`Commander <@${ALICE}>`);
    const announced = await h.slack.waitFor(
      () => h.slack.messages(h.announceChannel).find((m) => m.text.includes('*Escalation*')),
      PATIENCE_MS,
    );
    expect(announced.text).toContain(`<#${channel}>`);
    await waitForCard('forgotten', 'overdue — escalated');
    // A while later: still once each.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(threadOf(channel).filter((m) => m.text.includes('is past its 1s deadline'))).toHaveLength(1);
    expect(threadOf(channel).filter((m) => m.text.includes('*Escalation:*'))).toHaveLength(1);
    expect(h.slack.messages(h.announceChannel).filter((m) => m.text.includes('*Escalation*'))).toHaveLength(
      1,
    );
  });

  it('runs a dry run: DRY RUN in the header, the same approvals, and the target hears nothing', async () => {
    await h.slash('safety dry-run rehearsal');
    const rehearsal = await h.slack.waitFor(
      () => h.slack.channels().find((c) => c.name.startsWith('inc-') && c.id !== channel),
      10_000,
    );
    await h.slack.waitFor(
      () => threadOf(rehearsal.id).some((m) => m.blocks.some((b) => b.block_id === 'action-limit')),
      10_000,
    );
    expect(text(h.slack.messages(rehearsal.id)[0]?.blocks)).toContain('DRY RUN · Incident');
    // Nobody in #incidents mistakes a rehearsal for an outage.
    await h.slack.waitFor(() =>
      h.slack.messages(h.announceChannel).find((m) => m.text.startsWith(':test_tube: DRY RUN — Incident')),
    );
    const before = calls('/limit');
    await h.click(cardIn(rehearsal.id, 'limit'), 'approve-limit', ALICE);
    await waitForCard('limit', ':test_tube: *dry run*', rehearsal.id);
    expect(actionText(cardIn(rehearsal.id, 'limit'), 'limit')).toContain(`POST ${target.url}/limit`);
    expect(calls('/limit')).toBe(before);
  });
});
